using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>The <c>rotmnist</c> verb: RotatedMNIST with SEMoLA or a baseline; writes results.json, epochs.csv and generators.svg.</summary>
public static class RotMnistCommand
{
    /// <summary>Parses a method name.</summary>
    public static ImageMethod ParseMethod(string name) => name switch
    {
        "semola" => ImageMethod.Semola,
        "base" => ImageMethod.Base,
        "gt-aug" => ImageMethod.GtAug,
        _ => throw new ArgumentException($"--method '{name}' is unknown; expected semola, base or gt-aug."),
    };

    /// <summary>Parses a variant name.</summary>
    public static RotationVariant ParseVariant(string name) => name switch
    {
        "id" => RotationVariant.Id,
        "ood" => RotationVariant.Ood,
        _ => throw new ArgumentException($"--variant '{name}' is unknown; expected id or ood."),
    };

    /// <summary>Loads the digits: the shipped subset, or IDX files from a directory.</summary>
    public static ImageDataSet LoadDigits(string? directory)
    {
        if (directory is null)
        {
            return BuiltInDigits.Load();
        }
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"--data '{directory}' is not a directory.");
        }
        string Find(string kind)
        {
            var files = Directory.GetFiles(directory, $"*{kind}-idx*-ubyte*").OrderBy(f => Path.GetFileName(f).StartsWith("t10k", StringComparison.Ordinal)).ToArray();
            return files.Length > 0 ? files[0] : throw new ArgumentException($"--data '{directory}' holds no *{kind}-idx*-ubyte[.gz] file.");
        }
        return IdxReader.LoadPair(Find("images"), Find("labels"));
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(RotMnistOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ic = CultureInfo.InvariantCulture;
        var method = ParseMethod(o.Method);
        var variant = ParseVariant(o.Variant);
        var device = DeviceSelector.Select(o.Device);
        var semola = new SemolaOptions
        {
            Generators = o.Generators,
            LambdaEq = (float)o.LambdaEq,
            LambdaDist = (float)o.LambdaDist,
            LambdaExt = (float)o.LambdaExt,
            LambdaBasis = (float)o.LambdaBasis,
            Beta = (float)o.Beta,
            ProbeExtent = o.ProbeExtent is double p ? (float)p : null,
            AugmenterLearningRate = (float)o.AugLr,
            WarmupSteps = o.WarmupSteps,
        };
        var options = new ImageTrainerOptions
        {
            Method = method,
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = o.Seed,
            LearningRate = (float)o.Lr,
            CosineSchedule = o.LrSchedule switch
            {
                "cosine" => true,
                "constant" => false,
                _ => throw new ArgumentException($"--lr-schedule '{o.LrSchedule}' is unknown; expected cosine or constant."),
            },
            Semola = semola,
            Device = device,
        };
        options.Validate();

        var digits = LoadDigits(o.Data);
        var split = RotatedMnist.Build(digits, o.TrainSize, o.TestSize, variant, o.Seed);
        var trainer = new ImageSymmetryTrainer(options, split.Train, split.Test) { Log = output.WriteLine };
        string outDir = Path.GetFullPath(o.Out);
        output.WriteLine(string.Format(ic, "rotmnist: method {0}, variant {1}, {2} train / {3} test digits, {4} epochs, batch {5}, seed {6}, device {7}",
            o.Method, o.Variant, split.Train.Count, split.Test.Count, o.Epochs, o.BatchSize, o.Seed, device));
        return EpochLoop.Run(trainer, o.Epochs, o.Resume, outDir, trainer.RunEpoch, ImageSymmetryTrainer.Describe,
            seconds => WriteResults(outDir, o, trainer, seconds, device), output, error);
    }


    /// <summary>Writes results.json, epochs.csv and generators.svg for the epochs so far.</summary>
    public static void WriteResults(string outDir, RotMnistOptions o, ImageSymmetryTrainer trainer, double wallSeconds, Device device)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(trainer);
        var last = trainer.History[^1];
        var generators = trainer.Augmenter?.DirectionMatrices() ?? [];
        var gt = trainer.Options.GroundTruth.Generator;
        var root = new JsonObject
        {
            ["experiment"] = "rotmnist",
            ["variant"] = o.Variant,
            ["method"] = o.Method,
            ["seed"] = o.Seed,
            ["train_size"] = o.TrainSize,
            ["test_size"] = o.TestSize,
            ["epochs"] = trainer.CompletedEpochs,
            ["batch_size"] = o.BatchSize,
            ["lr_schedule"] = o.LrSchedule,
            ["device"] = device.Name,
            ["wall_seconds"] = Math.Round(wallSeconds, 2),
            ["metrics"] = new JsonObject
            {
                ["test_accuracy"] = last.TestAccuracy,
                ["generator_cosine"] = ResultsOutput.Number(last.GeneratorCosine),
                ["subspace_similarity"] = ResultsOutput.Number(last.SubspaceSimilarity),
                ["invariance_violation_rate"] = last.InvarianceViolationRate,
                ["invariance_kl"] = last.InvarianceKl,
            },
            ["generators"] = new JsonArray(generators.Select(g => (JsonNode)ResultsOutput.Matrix(g)).ToArray()),
            ["extents"] = new JsonArray(last.Extents.Select(e => (JsonNode)JsonValue.Create(Math.Round(e, 6))).ToArray()),
            ["ground_truth"] = ResultsOutput.Matrix(gt),
            ["options"] = JsonSerializer.SerializeToNode(trainer.Options.Semola),
            ["history"] = new JsonArray(trainer.History.Select(r => (JsonNode)new JsonObject
            {
                ["epoch"] = r.Epoch,
                ["test_accuracy"] = r.TestAccuracy,
                ["generator_cosine"] = ResultsOutput.Number(r.GeneratorCosine),
                ["invariance_violation_rate"] = r.InvarianceViolationRate,
                ["seconds"] = Math.Round(r.Seconds, 2),
            }).ToArray()),
        };
        OutputFiles.WriteAtomic(Path.Combine(outDir, "results.json"), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var ic = CultureInfo.InvariantCulture;
        var keys = trainer.History.SelectMany(r => r.Losses.Keys).Distinct().ToArray();
        var csv = new StringBuilder();
        csv.Append("epoch,").Append(string.Join(",", keys)).Append(",test_accuracy,generator_cosine,subspace_similarity,invariance_violation_rate,invariance_kl,extents,seconds\n");
        foreach (var r in trainer.History)
        {
            csv.Append(r.Epoch.ToString(ic));
            foreach (var k in keys)
            {
                csv.Append(',').Append(r.Losses.TryGetValue(k, out var v) ? v.ToString("G6", ic) : string.Empty);
            }
            csv.Append(ic, $",{r.TestAccuracy:F4},{r.GeneratorCosine:F5},{r.SubspaceSimilarity:F5},{r.InvarianceViolationRate:F4},{r.InvarianceKl:G5},{string.Join(";", r.Extents.Select(e => e.ToString("F4", ic)))},{r.Seconds:F2}\n");
        }
        OutputFiles.WriteAtomic(Path.Combine(outDir, "epochs.csv"), csv.ToString());

        ResultsOutput.WriteGeneratorFigure(Path.Combine(outDir, "generators.svg"), generators, gt);
    }
}

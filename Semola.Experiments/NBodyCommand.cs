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

/// <summary>The <c>nbody</c> verb: N-body dynamics with SEMoLA or a baseline; writes results.json, epochs.csv and generators.svg.</summary>
public static class NBodyCommand
{
    /// <summary>Parses a method name.</summary>
    public static NBodyMethod ParseMethod(string name) => name switch
    {
        "semola" => NBodyMethod.Semola,
        "base" => NBodyMethod.Base,
        "gt-aug" => NBodyMethod.GtAug,
        "augerino-plus" => NBodyMethod.AugerinoPlus,
        "liegan" => NBodyMethod.LieGan,
        "equivariant" => NBodyMethod.Equivariant,
        _ => throw new ArgumentException($"--method '{name}' is unknown; expected semola, base, gt-aug, augerino-plus, liegan or equivariant."),
    };

    /// <summary>Reads user trajectories by extension: .csv or .npy, each optionally followed by .gz.</summary>
    public static NBodyTrajectories LoadTrajectories(string path)
    {
        if (!File.Exists(path))
        {
            throw new ArgumentException($"--data '{path}' is not a file.");
        }
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return NBodyCsvReader.Read(path);
        }
        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            return NBodyNpyReader.Read(path);
        }
        throw new ArgumentException($"--data '{path}': expected a .csv or .npy file (optionally .gz).");
    }

    private sealed record Data(NBodyTrajectories Train, NBodyTrajectories Test, NBodyTrajectories? TestId, string Source);

    private static Data LoadData(NBodyOptions o, RotationVariant variant)
    {
        if (o.Data is not null)
        {
            var all = LoadTrajectories(o.Data);
            var split = variant == RotationVariant.Ood ? NBodySplit.ByInitialAngle(all) : NBodySplit.Random(all, o.TrainFraction, o.Seed);
            return new Data(split.Train, split.Test, null, Path.GetFileName(o.Data));
        }
        if (o.TrainSize < 1 || o.TestSize < 1)
        {
            throw new ArgumentException($"--train-size ({o.TrainSize}) and --test-size ({o.TestSize}) must be positive.");
        }
        var gen = new NBodyGeneratorOptions { Bodies = o.Bodies, Steps = o.Steps, Dt = o.Dt };
        gen.Validate();
        var generated = NBodyGenerator.Build(gen, variant, o.TrainSize, o.TestSize, o.Seed);
        NBodyTrajectories? testId = variant == RotationVariant.Ood
            ? NBodyGenerator.Generate(gen, o.TestSize, NBodySplit.OodTrainMinDegrees, NBodySplit.OodTrainMaxDegrees, unchecked(o.Seed * 7919 + 3))
            : null;
        return new Data(generated.Train, generated.Test, testId, "generated");
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(NBodyOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ic = CultureInfo.InvariantCulture;
        var method = ParseMethod(o.Method);
        var variant = RotMnistCommand.ParseVariant(o.Variant);
        var device = DeviceSelector.Select(o.Device);
        if (o.Data is null && o.Bodies is not (2 or 3))
        {
            throw new ArgumentException($"--bodies must be 2 or 3, got {o.Bodies}.");
        }
        if (o.InputSteps < 1 || o.OutputSteps < 1)
        {
            throw new ArgumentException($"--input-steps ({o.InputSteps}) and --output-steps ({o.OutputSteps}) must be at least 1.");
        }
        var data = LoadData(o, variant);
        int bodies = data.Train.Bodies;
        int n = 4 * bodies;
        var semola = NBodyTrainerOptions.SemolaDefaults(bodies) with
        {
            Generators = o.Generators,
            LambdaEq = (float)o.LambdaEq,
            LambdaDist = (float)o.LambdaDist,
            LambdaExt = (float)o.LambdaExt,
            LambdaBasis = (float)o.LambdaBasis,
            Beta = (float)o.Beta,
            ProbeExtent = o.ProbeExtent switch
            {
                0 => null,
                > 0 and < double.PositiveInfinity => (float)o.ProbeExtent,
                _ => throw new ArgumentException($"--probe-extent must be positive (or 0 for the learned extent), got {o.ProbeExtent}."),
            },
            InitialExtent = (float)o.InitialExtent,
            AugmenterLearningRate = (float)o.AugLr,
            WarmupSteps = o.WarmupSteps,
            DiscriminatorLearningRate = (float)o.DiscLr,
            DiscriminatorWidth = o.DiscWidth,
        };
        var options = new NBodyTrainerOptions
        {
            Method = method,
            Bodies = bodies,
            Epochs = o.Epochs,
            BatchSize = o.BatchSize,
            Seed = o.Seed,
            LearningRate = (float)o.Lr,
            Hidden = o.Hidden,
            CosineSchedule = o.LrSchedule switch
            {
                "constant" => false,
                "cosine" => true,
                _ => throw new ArgumentException($"--lr-schedule '{o.LrSchedule}' is unknown; expected constant or cosine."),
            },
            Semola = semola,
            Baseline = new NBodyBaselineOptions { Sigma = (float)o.Sigma, LambdaCos = (float)o.LambdaCos, Mu = (float)o.Mu, DiscoveryEpochs = o.DiscoveryEpochs },
            Space = SearchSpace.Parse(o.Space, n),
            GroundTruth = new GroundTruthGroup(LieAlgebraBases.NBodyRotation(bodies), MathF.PI),
            Device = device,
        };
        options.Validate();
        var train = NBodyWindows.Build(data.Train, o.InputSteps, o.OutputSteps);
        var test = NBodyWindows.Build(data.Test, o.InputSteps, o.OutputSteps);
        var testId = data.TestId is null ? null : NBodyWindows.Build(data.TestId, o.InputSteps, o.OutputSteps);
        var trainer = new NBodyTrainer(options, train, test, testId) { Log = output.WriteLine };
        string outDir = Path.GetFullPath(o.Out);
        output.WriteLine(string.Format(ic, "nbody: method {0}, variant {1}, {2} bodies, {3} train / {4} test trajectories ({5} / {6} windows of {7} -> {8} steps), space {9}, {10} epochs, batch {11}, seed {12}, device {13}",
            o.Method, o.Variant, bodies, data.Train.Count, data.Test.Count, train.Count, test.Count, o.InputSteps, o.OutputSteps, options.Space.Name, options.TotalEpochs, o.BatchSize, o.Seed, device));
        return EpochLoop.Run(trainer, options.TotalEpochs, o.Resume, outDir, trainer.RunEpoch, NBodyTrainer.Describe,
            seconds => WriteResults(outDir, o, data.Source, data.Train.Count, data.Test.Count, train.Count, test.Count, trainer, seconds, device), output, error);
    }


    private static void WriteResults(string outDir, NBodyOptions o, string source, int trainTrajectories, int testTrajectories, int trainWindows, int testWindows, NBodyTrainer trainer, double wallSeconds, Device device)
    {
        var last = trainer.History[^1];
        var generators = trainer.Augmenter?.DirectionMatrices() ?? [];
        var opts = trainer.Options;
        var gt = opts.GroundTruth.Generator;
        var root = new JsonObject
        {
            ["experiment"] = "nbody",
            ["variant"] = o.Variant,
            ["method"] = o.Method,
            ["bodies"] = opts.Bodies,
            ["data"] = source,
            ["seed"] = o.Seed,
            ["train_trajectories"] = trainTrajectories,
            ["test_trajectories"] = testTrajectories,
            ["train_windows"] = trainWindows,
            ["test_windows"] = testWindows,
            ["input_steps"] = o.InputSteps,
            ["output_steps"] = o.OutputSteps,
            ["space"] = opts.Space.Name,
            ["epochs"] = trainer.CompletedEpochs,
            ["batch_size"] = o.BatchSize,
            ["hidden"] = opts.Hidden,
            ["lr_schedule"] = opts.CosineSchedule ? "cosine" : "constant",
            ["device"] = device.Name,
            ["wall_seconds"] = Math.Round(wallSeconds, 2),
            ["metrics"] = new JsonObject
            {
                ["test_mse"] = last.TestMse,
                ["test_mse_id"] = ResultsOutput.Number(last.TestMseId),
                ["equivariance_error"] = last.EquivarianceError,
                ["generator_cosine"] = ResultsOutput.Number(last.GeneratorCosine),
                ["subspace_similarity"] = ResultsOutput.Number(last.SubspaceSimilarity),
            },
            ["generators"] = new JsonArray(generators.Select(g => (JsonNode)ResultsOutput.Matrix(g)).ToArray()),
            ["extents"] = new JsonArray(last.Extents.Select(e => (JsonNode)JsonValue.Create(Math.Round(e, 6))).ToArray()),
            ["ground_truth"] = ResultsOutput.Matrix(gt),
            ["options"] = opts.Method switch
            {
                NBodyMethod.Semola => JsonSerializer.SerializeToNode(opts.Semola),
                NBodyMethod.AugerinoPlus or NBodyMethod.LieGan => JsonSerializer.SerializeToNode(opts.Baseline),
                _ => new JsonObject(),
            },
            ["history"] = new JsonArray(trainer.History.Select(r => (JsonNode)new JsonObject
            {
                ["epoch"] = r.Epoch,
                ["phase"] = r.Phase,
                ["test_mse"] = r.TestMse,
                ["test_mse_id"] = ResultsOutput.Number(r.TestMseId),
                ["equivariance_error"] = r.EquivarianceError,
                ["generator_cosine"] = ResultsOutput.Number(r.GeneratorCosine),
                ["seconds"] = Math.Round(r.Seconds, 2),
            }).ToArray()),
        };
        OutputFiles.WriteAtomic(Path.Combine(outDir, "results.json"), root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));

        var ic = CultureInfo.InvariantCulture;
        var keys = trainer.History.SelectMany(r => r.Losses.Keys).Distinct().ToArray();
        var csv = new StringBuilder();
        csv.Append("epoch,phase,").Append(string.Join(",", keys)).Append(",test_mse,test_mse_id,equivariance_error,generator_cosine,subspace_similarity,extents,seconds\n");
        foreach (var r in trainer.History)
        {
            csv.Append(r.Epoch.ToString(ic)).Append(',').Append(r.Phase);
            foreach (var k in keys)
            {
                csv.Append(',').Append(r.Losses.TryGetValue(k, out var v) ? v.ToString("G6", ic) : string.Empty);
            }
            csv.Append(ic, $",{r.TestMse:G6},{r.TestMseId:G6},{r.EquivarianceError:G6},{r.GeneratorCosine:F5},{r.SubspaceSimilarity:F5},{string.Join(";", r.Extents.Select(e => e.ToString("F4", ic)))},{r.Seconds:F2}\n");
        }
        OutputFiles.WriteAtomic(Path.Combine(outDir, "epochs.csv"), csv.ToString());

        ResultsOutput.WriteGeneratorFigure(Path.Combine(outDir, "generators.svg"), generators, gt);
    }
}

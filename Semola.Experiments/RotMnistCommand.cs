using System.Globalization;
using Semola.Core.Data;
using Semola.Core.Tasks;

namespace Semola.Experiments;

/// <summary>The <c>rotmnist</c> verb: RotatedMNIST with any method; writes results.json, epochs.csv and generators.svg.</summary>
public static class RotMnistCommand
{
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
            throw new IOException($"--data '{directory}' is not a directory.");
        }
        string Find(string kind)
        {
            var files = Directory.GetFiles(directory, $"*{kind}-idx*-ubyte*").OrderBy(f => Path.GetFileName(f).StartsWith("t10k", StringComparison.Ordinal)).ToArray();
            return files.Length > 0 ? files[0] : throw new IOException($"--data '{directory}' holds no *{kind}-idx*-ubyte[.gz] file.");
        }
        return IdxReader.LoadPair(Find("images"), Find("labels"));
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(RotMnistOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ApplyDefaults();
        RotationVariant variant;
        try
        {
            variant = ParseVariant(o.Variant);
            if (o.TrainSize < 2 || o.TestSize < 1)
            {
                throw new ArgumentException($"--train-size ({o.TrainSize}) must be at least 2 and --test-size ({o.TestSize}) at least 1.");
            }
        }
        catch (ArgumentException ex)
        {
            throw new ExperimentRunner.OptionException(ex.Message);
        }
        var plan = ExperimentRunner.Configure(o, 3, progressLines: 4, evalBatchSize: 256);
        return ExperimentRunner.Run(o, plan,
            () => RotatedMnistTask.Build(LoadDigits(o.Data), o.TrainSize, o.TestSize, variant, o.Seed, o.ValFraction),
            t => string.Format(CultureInfo.InvariantCulture, "rotmnist: method {0}, variant {1}, {2} train / {3} validation / {4} test digits, {5} epochs, batch {6}, seed {7}, device {8}",
                o.Method, o.Variant, t.Train.Count, t.Validation.Count, t.Test.Count, o.Epochs, o.BatchSize, o.Seed, plan.Device),
            _ => new Dictionary<string, object?> { ["variant"] = o.Variant, ["data"] = o.Data is null ? "shipped" : Path.GetFileName(Path.GetFullPath(o.Data)) },
            output, error);
    }
}

using System.Globalization;
using Semola.Core.Data;
using Semola.Core.Tasks;

namespace Semola.Experiments;

/// <summary>The <c>crc</c> verb: histology patches with any method; writes results.json, epochs.csv and generators.svg.</summary>
public static class CrcCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(CrcOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ApplyDefaults();
        if (o.Data is null && (o.TrainSize < 2 || o.TestSize < 1 || o.Size < 8))
        {
            throw new ExperimentRunner.OptionException($"--train-size ({o.TrainSize}) must be at least 2, --test-size ({o.TestSize}) at least 1 and --size ({o.Size}) at least 8.");
        }
        if (o.MaxPerSplit < 0)
        {
            throw new ExperimentRunner.OptionException($"--max-per-split must be non-negative, got {o.MaxPerSplit}.");
        }
        var textures = o.Textures switch
        {
            "subtle" => TextureClasses.Subtle,
            "distinct" => TextureClasses.Distinct,
            _ => throw new ExperimentRunner.OptionException($"--textures must be subtle or distinct, got '{o.Textures}'."),
        };
        if (o.Field is not ("round" or "square"))
        {
            throw new ExperimentRunner.OptionException($"--field must be round or square, got '{o.Field}'.");
        }
        var plan = ExperimentRunner.Configure(o, 3, progressLines: 4, evalBatchSize: 256);
        return ExperimentRunner.Run(o, plan,
            () => o.Data is null
                ? HistologyTask.Synthetic(o.TrainSize, o.TestSize, o.Size, o.Seed, o.ValFraction, textures, o.Field == "round")
                : File.Exists(o.Data) ? HistologyTask.FromNpz(o.Data, o.MaxPerSplit) : throw new IOException($"--data '{o.Data}' is not a file."),
            t => string.Format(CultureInfo.InvariantCulture, "crc: method {0}, data {1}, {2} train / {3} validation / {4} test patches of {5}x{6}x{7}, {8} classes, {9} epochs, batch {10}, seed {11}, device {12}",
                o.Method, o.Data is null ? $"generated {o.Textures} {o.Field}" : Path.GetFileName(o.Data), t.Train.Count, t.Validation.Count, t.Test.Count,
                t.Train.SampleShape[0], t.Train.SampleShape[1], t.Train.SampleShape[2], t.Classes, o.Epochs, o.BatchSize, o.Seed, plan.Device),
            _ => new Dictionary<string, object?> { ["data"] = o.Data is null ? $"generated-{o.Textures}-{o.Field}" : Path.GetFileName(o.Data) },
            output, error);
    }
}

using System.Globalization;
using Semola.Core.Data;
using Semola.Core.Tasks;

namespace Semola.Experiments;

/// <summary>The <c>nbody</c> verb: N-body dynamics with any method; writes results.json, epochs.csv and generators.svg.</summary>
public static class NBodyCommand
{
    /// <summary>Reads user trajectories by extension: .csv or .npy, each optionally followed by .gz.</summary>
    public static NBodyTrajectories LoadTrajectories(string path)
    {
        if (!File.Exists(path))
        {
            throw new IOException($"--data '{path}' is not a file.");
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
        throw new IOException($"--data '{path}': expected a .csv or .npy file (optionally .gz).");
    }

    private static NBodyTask BuildTask(NBodyOptions o, RotationVariant variant)
    {
        NBodyTrajectories train, test;
        NBodyTrajectories? testId = null;
        if (o.Data is not null)
        {
            var all = LoadTrajectories(o.Data);
            var split = variant == RotationVariant.Ood ? NBodySplit.ByInitialAngle(all) : NBodySplit.Random(all, o.TrainFraction, o.Seed);
            (train, test) = (split.Train, split.Test);
        }
        else
        {
            var gen = new NBodyGeneratorOptions { Bodies = o.Bodies, Steps = o.Steps, Dt = o.Dt };
            var generated = NBodyGenerator.Build(gen, variant, o.TrainSize, o.TestSize, o.Seed);
            (train, test) = (generated.Train, generated.Test);
            if (variant == RotationVariant.Ood)
            {
                testId = NBodyGenerator.Generate(gen, o.TestSize, NBodySplit.OodTrainMinDegrees, NBodySplit.OodTrainMaxDegrees, unchecked(o.Seed * 7919 + 3));
            }
        }
        return NBodyTask.Build(train, test, testId, o.InputSteps, o.OutputSteps, o.Hidden, o.Seed, o.ValFraction);
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(NBodyOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ApplyDefaults();
        RotationVariant variant;
        try
        {
            variant = RotMnistCommand.ParseVariant(o.Variant);
            if (o.Data is null && o.Bodies is not (2 or 3))
            {
                throw new ArgumentException($"--bodies must be 2 or 3, got {o.Bodies}.");
            }
            if (o.InputSteps < 1 || o.OutputSteps < 1 || o.Hidden < 1)
            {
                throw new ArgumentException($"--input-steps ({o.InputSteps}), --output-steps ({o.OutputSteps}) and --hidden ({o.Hidden}) must be at least 1.");
            }
            if (o.Data is null && (o.TrainSize < 2 || o.TestSize < 1))
            {
                throw new ArgumentException($"--train-size ({o.TrainSize}) must be at least 2 and --test-size ({o.TestSize}) at least 1.");
            }
            if (o.Data is null)
            {
                new NBodyGeneratorOptions { Bodies = o.Bodies, Steps = o.Steps, Dt = o.Dt }.Validate();
            }
        }
        catch (ArgumentException ex)
        {
            throw new ExperimentRunner.OptionException(ex.Message);
        }
        // The group's dimension is 4 per body; for user data it is known only after reading, so the space is checked then.
        var plan = ExperimentRunner.Configure(o, o.Data is null ? 4 * o.Bodies : null, progressLines: 0, evalBatchSize: 1024);
        return ExperimentRunner.Run(o, plan, () => BuildTask(o, variant),
            t => string.Format(CultureInfo.InvariantCulture, "nbody: method {0}, variant {1}, {2} bodies, {3} train / {4} validation / {5} test windows of {6} -> {7} steps, space {8}, {9} epochs, batch {10}, seed {11}, device {12}",
                o.Method, o.Variant, t.GroupDimension / 4, t.Train.Count, t.Validation.Count, t.Test.Count, o.InputSteps, o.OutputSteps, o.Space ?? t.DefaultSpace.Name, o.Epochs, o.BatchSize, o.Seed, plan.Device),
            t => new Dictionary<string, object?>
            {
                ["variant"] = o.Variant,
                ["bodies"] = t.GroupDimension / 4,
                ["data"] = o.Data is null ? "generated" : Path.GetFileName(o.Data),
                ["input_steps"] = o.InputSteps,
                ["output_steps"] = o.OutputSteps,
                ["space"] = o.Space ?? t.DefaultSpace.Name,
            },
            output, error);
    }
}

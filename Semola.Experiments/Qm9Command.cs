using System.Globalization;
using Semola.Core.Data;
using Semola.Core.Tasks;

namespace Semola.Experiments;

/// <summary>The <c>qm9</c> verb: molecules with any method; writes results.json, epochs.csv and generators.svg.</summary>
public static class Qm9Command
{
    private static MoleculeSplit Load(Qm9Options o)
    {
        if (o.Data is null)
        {
            var all = SyntheticMolecules.Generate(o.TrainSize + o.TestSize, o.Seed);
            int validation = Math.Clamp((int)Math.Round(o.TrainSize * o.ValFraction), 1, o.TrainSize - 1);
            return MoleculeSplit.ByCounts(all, o.TrainSize - validation, validation, o.Seed);
        }
        if (!File.Exists(o.Data) && !Directory.Exists(o.Data))
        {
            throw new IOException($"--data '{o.Data}' is neither a file nor a directory.");
        }
        var molecules = Qm9Reader.Read(o.Data, o.Limit);
        if (o.TrainSize == 0)
        {
            return MoleculeSplit.Standard(molecules, o.Seed);
        }
        if (o.TrainSize + o.TestSize > molecules.Count)
        {
            throw new IOException($"--data '{o.Data}' holds {molecules.Count} molecules, fewer than --train-size {o.TrainSize} + --test-size {o.TestSize}.");
        }
        int val = Math.Clamp((int)Math.Round(o.TrainSize * o.ValFraction), 1, o.TrainSize - 1);
        return MoleculeSplit.ByCounts(molecules, o.TrainSize - val, val, o.Seed);
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(Qm9Options o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.ApplyDefaults();
        if (o.Target is not ("homo" or "lumo" or "gap"))
        {
            throw new ExperimentRunner.OptionException($"--target '{o.Target}' is unknown; expected homo, lumo or gap.");
        }
        if ((o.Data is null || o.TrainSize > 0) && (o.TrainSize < 2 || o.TestSize < 1) || o.Hidden < 1 || o.Limit < 0)
        {
            throw new ExperimentRunner.OptionException($"--train-size ({o.TrainSize}) must be at least 2, --test-size ({o.TestSize}) at least 1, --hidden ({o.Hidden}) positive and --limit ({o.Limit}) non-negative.");
        }
        var plan = ExperimentRunner.Configure(o, 4, progressLines: 0, evalBatchSize: 512);
        return ExperimentRunner.Run(o, plan,
            () => MoleculeTask.Build(Load(o), o.Target, o.Center, o.Hidden),
            t => string.Format(CultureInfo.InvariantCulture, "qm9: method {0}, target {1}, data {2}{3}, {4} train / {5} validation / {6} test molecules (up to {7} atoms), space {8}, k = {9}, {10} epochs, seed {11}, device {12}",
                o.Method, o.Target, o.Data is null ? "generated" : Path.GetFileName(o.Data), o.Center ? ", centred" : string.Empty,
                t.Train.Count, t.Validation.Count, t.Test.Count, t.Train.SampleShape[0], o.Space ?? t.DefaultSpace.Name, o.Generators, o.Epochs, o.Seed, plan.Device),
            t => new Dictionary<string, object?>
            {
                ["variant"] = o.Center ? "centred" : "raw",
                ["target"] = o.Target,
                ["data"] = o.Data is null ? "generated" : Path.GetFileName(o.Data),
                ["space"] = o.Space ?? t.DefaultSpace.Name,
                ["target_scale_mev"] = t.TargetScale,
            },
            output, error);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CommandLine;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>
/// Runs one experiment verb the same way for every task and method: options to a trainer (option errors exit 2), then
/// an output directory the run owns (created and test-written before any work, locked for the run's life), the data,
/// the run identity, resume or a fresh start, the epoch loop with checkpoints and result files, and divergence handled
/// honestly (exit 1 with the last good checkpoint named, results marked diverged).
/// </summary>
public static class ExperimentRunner
{
    /// <summary>An error in the options (exit code 2).</summary>
    public sealed class OptionException(string message) : Exception(message);

    /// <summary>The trainer settings both a fresh run and its configuration record need.</summary>
    public sealed record Plan(TrainingMethod Method, TrainingOptions Training, MethodOptions Methods, Device Device);

    /// <summary>Turns the shared options into the core's settings; every problem is an <see cref="OptionException"/>.</summary>
    /// <param name="o">The verb's options, defaults applied.</param>
    /// <param name="groupDimension">The order n of the group's matrices where known before the data is read (null: checked after).</param>
    /// <param name="progressLines">Progress lines per epoch.</param>
    /// <param name="evalBatchSize">Evaluation batch size.</param>
    public static Plan Configure(ExperimentOptions o, int? groupDimension, int progressLines, int evalBatchSize)
    {
        ArgumentNullException.ThrowIfNull(o);
        try
        {
            var method = MethodCatalog.Create(o.Method);
            var space = o.Space is null || groupDimension is null ? null : SearchSpace.Parse(o.Space, groupDimension.Value);
            var dims = space?.FreeParameters ?? 0;
            var semola = new SemolaOptions
            {
                Generators = o.Generators!.Value,
                LambdaEq = (float)o.LambdaEq,
                LambdaDist = (float)o.LambdaDist!.Value,
                LambdaExt = (float)o.LambdaExt!.Value,
                LambdaBasis = (float)o.LambdaBasis!.Value,
                Beta = (float)o.Beta!.Value,
                ProbeExtent = o.ProbeExtent switch
                {
                    0 => null,
                    > 0 and < double.PositiveInfinity => (float)o.ProbeExtent,
                    _ => throw new ArgumentException($"--probe-extent must be positive (or 0 for the learned extent), got {o.ProbeExtent}."),
                },
                ExtentCap = o.ExtentCap switch
                {
                    0 => null,
                    > 0 and < double.PositiveInfinity => (float)o.ExtentCap,
                    _ => throw new ArgumentException($"--extent-cap must be positive (or 0 for the spectral rule), got {o.ExtentCap}."),
                },
                InitialExtent = (float)o.InitialExtent!.Value,
                AugmenterLearningRate = (float)o.AugLr!.Value,
                DiscriminatorLearningRate = (float)o.DiscLr!.Value,
                DiscriminatorWidth = o.DiscWidth,
                WarmupSteps = o.WarmupSteps,
            };
            var methods = new MethodOptions
            {
                Semola = semola,
                Space = o.Space,
                Copies = o.Copies,
                TestTimeCopies = o.Tta!.Value,
                Sigma = (float)o.Sigma,
                LambdaCos = (float)o.LambdaCos,
                Mu = (float)o.Mu,
                Eta = (float)o.Eta,
                GeneratorLearningRate = (float)o.GenLr,
                DiscoveryEpochs = o.DiscoveryEpochs,
                AugerinoReward = (float)o.AugerinoReward,
            };
            methods.Validate();
            var device = DeviceSelector.Select(o.Device!);
            if (device.Backend is Semola.Kernels.Ilgpu.IlgpuBackend ilgpu)
            {
                ilgpu.Deterministic = o.Deterministic;
            }
            var training = new TrainingOptions
            {
                Epochs = o.Epochs!.Value,
                BatchSize = o.BatchSize,
                Seed = o.Seed,
                LearningRate = (float)o.Lr,
                CosineSchedule = o.LrSchedule switch
                {
                    "cosine" => true,
                    "constant" => false,
                    _ => throw new ArgumentException($"--lr-schedule '{o.LrSchedule}' is unknown; expected constant or cosine."),
                },
                Device = device,
                ProgressLinesPerEpoch = progressLines,
                EvalBatchSize = evalBatchSize,
                DivergenceFactor = o.DivergenceFactor,
                RecomputeBatchNormBatches = o.BnRecompute,
            };
            training.Validate();
            if (!(o.Fraction > 0 && o.Fraction <= 1))
            {
                throw new ArgumentException($"--fraction must be in (0, 1], got {o.Fraction}.");
            }
            if (!(o.ValFraction > 0 && o.ValFraction < 1))
            {
                throw new ArgumentException($"--val-fraction must be between 0 and 1 (exclusive), got {o.ValFraction}.");
            }
            if (dims > 0 && o.Generators > dims)
            {
                throw new ArgumentException($"--generators {o.Generators} exceeds the dimension of the search space {o.Space} ({dims}).");
            }
            return new Plan(method, training, methods, device);
        }
        catch (ArgumentException ex)
        {
            throw new OptionException(ex.Message);
        }
    }

    /// <summary>The effective configuration: every option of the verb, name to value (invariant culture).</summary>
    public static SortedDictionary<string, string> Config(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // --seeds and --shard choose which runs to make and never reach a single run.
            if (p.GetCustomAttribute<OptionAttribute>() is { } attr && attr.LongName is not ("seeds" or "shard"))
            {
                config[attr.LongName] = Convert.ToString(p.GetValue(options), CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
        return config;
    }

    /// <summary>Runs an experiment; returns the exit code.</summary>
    /// <param name="o">The verb's options (defaults already applied).</param>
    /// <param name="plan">The configured trainer settings.</param>
    /// <param name="buildTask">Loads or generates the data (failures exit 1).</param>
    /// <param name="describe">The first progress line, given the task.</param>
    /// <param name="header">Experiment-specific fields of results.json.</param>
    /// <param name="output">Progress output.</param>
    /// <param name="error">Error output.</param>
    public static int Run(ExperimentOptions o, Plan plan, Func<SymmetryTask> buildTask, Func<SymmetryTask, string> describe,
        Func<SymmetryTask, IReadOnlyDictionary<string, object?>> header, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(buildTask);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string outDir = OutputFiles.PrepareDirectory(o.Out!, out bool created);
        bool wrote = false;
        try
        {
            using var runLock = RunLock.Acquire(outDir);
            return RunLocked(o, plan, buildTask, describe, header, output, error, outDir, () => wrote = true);
        }
        finally
        {
            // A run that failed before writing anything leaves no directory behind.
            if (created && !wrote && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any())
            {
                Directory.Delete(outDir);
            }
        }
    }

    private static int RunLocked(ExperimentOptions o, Plan plan, Func<SymmetryTask> buildTask, Func<SymmetryTask, string> describe,
        Func<SymmetryTask, IReadOnlyDictionary<string, object?>> header, TextWriter output, TextWriter error, string outDir, Action wrote)
    {
        var ic = CultureInfo.InvariantCulture;
        string checkpoints = Path.Combine(outDir, "checkpoints");

        var task = buildTask();
        if (o.Fraction < 1)
        {
            task = new SubsampledTask(task, o.Fraction, o.Seed);
        }
        Trainer trainer;
        try
        {
            trainer = new Trainer(task, plan.Method, plan.Training, plan.Methods) { Log = output.WriteLine };
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // What the method and options ask of this data (generators, search space, --tta) is checked here.
            throw new OptionException(ex.Message);
        }
        var requested = RunIdentity.Fresh(Config(o), task.DataChecksum());
        output.WriteLine(describe(task));

        var identity = requested;
        double priorSeconds = 0;
        var existing = TrainerCheckpoint.EpochDirectories(checkpoints);
        if (o.Resume)
        {
            var state = TrainerCheckpoint.LoadLatest(checkpoints, trainer, requested);
            if (state is null)
            {
                output.WriteLine("resume: no checkpoint found, starting afresh");
            }
            else
            {
                identity = requested with { RunId = state.Identity.RunId };
                priorSeconds = state.WallSeconds;
                output.WriteLine(string.Format(ic, "resume: continuing after epoch {0}", state.Epoch));
                if (state.Epoch >= trainer.TotalEpochs)
                {
                    output.WriteLine(string.Format(ic, "resume: the run has finished its {0} epochs; nothing to do (raise --epochs to train longer).", state.Epoch));
                    output.WriteLine(string.Format(ic, "results: {0}", Path.Combine(outDir, "results.json")));
                    return 0;
                }
            }
        }
        else if (existing.Count > 0)
        {
            if (!o.Overwrite)
            {
                throw new IOException($"--out {outDir} holds checkpoints of another run (up to epoch {existing[^1].Epoch}); use --resume to continue it, --overwrite to replace it, or another --out.");
            }
            Directory.Delete(checkpoints, recursive: true);
            foreach (var f in new[] { "results.json", "epochs.csv", "generators.svg", ConfigFile.FileName })
            {
                File.Delete(Path.Combine(outDir, f));
            }
        }

        var clock = Stopwatch.StartNew();
        try
        {
            while (trainer.History.Count < trainer.TotalEpochs)
            {
                var record = trainer.RunEpoch();
                output.WriteLine(Trainer.Describe(record));
                wrote();
                double wall = priorSeconds + clock.Elapsed.TotalSeconds;
                TrainerCheckpoint.Save(checkpoints, trainer, identity, wall);
                ResultsWriter.Write(outDir, o.Experiment, trainer, identity, header(task), wall, plan.Device, null);
                ConfigFile.WriteEffectiveConfig(outDir, o.Experiment, o);
            }
        }
        catch (TrainingDivergedException ex)
        {
            int good = trainer.History.Count;
            string kept = good == 0
                ? "No checkpoint was written: it diverged in epoch 1."
                : $"The last good checkpoint is epoch {good} in {TrainerCheckpoint.EpochDirectory(checkpoints, good)}.";
            wrote();
            ResultsWriter.Write(outDir, o.Experiment, trainer, identity, header(task), priorSeconds + clock.Elapsed.TotalSeconds, plan.Device, ex.Message);
            ConfigFile.WriteEffectiveConfig(outDir, o.Experiment, o);
            error.WriteLine($"error: training diverged in {ex.Message} {kept}");
            return 1;
        }
        output.WriteLine(string.Format(ic, "results: {0}", Path.Combine(outDir, "results.json")));
        return 0;
    }
}

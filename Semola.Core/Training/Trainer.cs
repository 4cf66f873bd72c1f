using System.Diagnostics;
using System.Globalization;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Method;

namespace Semola.Core.Training;

/// <summary>
/// The training core every experiment and method shares: device placement and optimizers of every module a
/// method registers, seeding from (seed, epoch), the epoch loop, learning-rate schedules, loss terms summed on
/// the device and read every few steps, divergence detection, evaluation (validation every epoch, test after
/// the last), test-time averaging, generator metrics and the epoch history that checkpoints carry. It knows
/// nothing of images, trajectories or any method by name.
/// </summary>
public sealed class Trainer
{
    private readonly List<RegisteredModule> _modules = [];
    private readonly List<EpochRecord> _history = [];
    private readonly Dictionary<string, double> _references = [];

    /// <summary>A module a method registered, with its optimizer.</summary>
    /// <param name="Name">Its checkpoint name.</param>
    /// <param name="Module">The module.</param>
    /// <param name="Optimizer">Its optimizer.</param>
    /// <param name="BaseLearningRate">The optimizer's rate before any schedule.</param>
    /// <param name="Scheduled">Whether the run's schedule applies.</param>
    public sealed record RegisteredModule(string Name, Module Module, Optimizer Optimizer, float BaseLearningRate, bool Scheduled);

    /// <summary>Builds the method's modules for the task, from the seed, on the options' device.</summary>
    public Trainer(SymmetryTask task, TrainingMethod method, TrainingOptions options, MethodOptions methodOptions)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(methodOptions);
        options.Validate();
        methodOptions.Validate();
        Task = task;
        Method = method;
        Options = options;
        MethodOptions = methodOptions;
        if (methodOptions.TestTimeCopies > 0 && !method.HasTestTimeSampler)
        {
            throw new ArgumentException($"--tta: the {method.Name} method does not augment, so it has nothing to average over at test time.");
        }
        var context = new TrainingContext(this, task, options, methodOptions);
        int dims = context.Space.FreeParameters;
        if (methodOptions.Semola.Generators > dims)
        {
            throw new ArgumentException($"--generators {methodOptions.Semola.Generators} exceeds the dimension of the search space {context.Space.Name} ({dims}).");
        }
        using (TensorScope.Suspend())
        {
            method.Setup(context);
        }
        if (method.Model is null || !_modules.Any(m => ReferenceEquals(m.Module, method.Model)))
        {
            throw new InvalidOperationException($"{method.Name}: Setup must create the model and register it.");
        }
    }

    /// <summary>The task.</summary>
    public SymmetryTask Task { get; }

    /// <summary>The method.</summary>
    public TrainingMethod Method { get; }

    /// <summary>The core's options.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The methods' options.</summary>
    public MethodOptions MethodOptions { get; }

    /// <summary>Every registered module with its optimizer, in registration order.</summary>
    public IReadOnlyList<RegisteredModule> Modules => _modules;

    /// <summary>Epochs of the whole run: the method's discovery epochs, then the training epochs.</summary>
    public int TotalEpochs => Method.DiscoveryEpochs + Options.Epochs;

    /// <summary>Completed epochs.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>Optimizer steps taken in the whole run.</summary>
    public long Steps { get; private set; }

    /// <summary>Per primary loss term, its value at the first step that produced it (the divergence reference).</summary>
    public IReadOnlyDictionary<string, double> References => _references;

    /// <summary>Receives progress lines (none by default).</summary>
    public Action<string>? Log { get; set; }

    internal void Add(string name, Module module, Optimizer optimizer, float learningRate, bool scheduled)
    {
        if (string.IsNullOrEmpty(name) || _modules.Any(m => m.Name == name || ReferenceEquals(m.Module, module)))
        {
            throw new ArgumentException($"Module '{name}' is registered twice or has no name.");
        }
        _modules.Add(new RegisteredModule(name, module, optimizer, learningRate, scheduled));
    }

    /// <summary>Restores the history, step count and divergence references after the tensors were loaded from a checkpoint.</summary>
    public void Restore(IEnumerable<EpochRecord> history, long steps, IReadOnlyDictionary<string, double> references)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(references);
        _history.Clear();
        _history.AddRange(history);
        Steps = steps;
        _references.Clear();
        foreach (var (k, v) in references)
        {
            _references[k] = v;
        }
    }

    /// <summary>A seed for one random stream of one epoch.</summary>
    public static int Mix(int seed, int epoch, int stream) => unchecked((seed * 1_000_003) ^ (epoch * 7919) ^ (stream * 104_729));

    private void SetTraining(bool training)
    {
        foreach (var m in _modules)
        {
            m.Module.Train(training);
        }
    }

    /// <summary>Runs one more epoch (training, then evaluation) and returns its record.</summary>
    /// <exception cref="TrainingDivergedException">A loss or metric became non-finite or the loss blew up.</exception>
    public EpochRecord RunEpoch()
    {
        int epoch = _history.Count + 1;
        bool discovery = epoch <= Method.DiscoveryEpochs;
        var watch = Stopwatch.StartNew();
        var train = Task.Train;
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(Mix(Options.Seed, epoch, 1)).Shuffle(order);
        var rng = new Random(Mix(Options.Seed, epoch, 2));
        Method.OnEpochStart(Mix(Options.Seed, epoch, 3));
        int batches = (train.Count + Options.BatchSize - 1) / Options.BatchSize;
        int reportEvery = Options.ProgressLinesPerEpoch > 0 ? Math.Max(1, batches / Options.ProgressLinesPerEpoch) : int.MaxValue;
        int trainEpochIndex = epoch - Method.DiscoveryEpochs - 1;
        var losses = new LossAccumulator();
        SetTraining(true);
        for (int bi = 0; bi < batches; bi++)
        {
            int start = bi * Options.BatchSize;
            int n = Math.Min(Options.BatchSize, train.Count - start);
            using var scope = new TensorScope();
            var batch = train.Gather(order.AsSpan(start, n), Options.Device);
            if (Options.CosineSchedule && !discovery)
            {
                double t = Math.Min(1.0, (trainEpochIndex * (double)batches + bi) / ((double)Options.Epochs * batches));
                float factor = (float)(0.5 * (1 + Math.Cos(Math.PI * t)));
                foreach (var m in _modules.Where(m => m.Scheduled))
                {
                    m.Optimizer.LearningRate = m.BaseLearningRate * factor;
                }
            }
            var context = new StepContext(epoch, Steps, rng);
            var terms = discovery ? Method.DiscoveryStep(batch, context) : Method.Step(batch, context);
            Steps++;
            losses.Add(terms, scope);
            bool first = !_references.ContainsKey(terms.ContainsKey("task") ? "task" : "total");
            if (first || (bi + 1) % Options.ReadEvery == 0 || bi + 1 == batches)
            {
                var interval = losses.Read();
                Check(epoch, bi + 1, interval);
                if ((bi + 1) / reportEvery != (bi + 1 - interval.Steps) / reportEvery && bi + 1 < batches)
                {
                    Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch} step {bi + 1}/{batches} loss {interval.Means.GetValueOrDefault("total"):G4} ({(start + n) / watch.Elapsed.TotalSeconds:F0} samples/s)"));
                }
            }
        }
        var record = Evaluate(epoch, discovery ? "discovery" : "train", losses.EpochMeans(), watch);
        _history.Add(record);
        return record;
    }

    private void Check(int epoch, int step, LossAccumulator.Interval interval)
    {
        foreach (var (k, v) in interval.Means)
        {
            if (!double.IsFinite(v))
            {
                throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}, by step {step}: the {k} loss became {v}."));
            }
        }
        string primary = interval.Means.ContainsKey("task") ? "task" : "total";
        if (!interval.Means.TryGetValue(primary, out double value))
        {
            return;
        }
        if (!_references.TryGetValue(primary, out double reference))
        {
            _references[primary] = Math.Abs(value);
            return;
        }
        double bound = Options.DivergenceFactor * Math.Max(reference, 1e-6);
        if (Options.DivergenceFactor > 0 && Math.Abs(value) > bound)
        {
            throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}, by step {step}: the {primary} loss grew to {value:G4}, more than {Options.DivergenceFactor:G3} times its value at the first step ({reference:G4})."));
        }
    }

    /// <summary>The prediction used for evaluation: f(x), or the average over --tta augmented copies mapped back with rho_Y(g)^-1.</summary>
    public Func<Tensor, Tensor> Predictor(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int copies = MethodOptions.TestTimeCopies;
        if (copies == 0)
        {
            return x => Method.Model.Forward(x);
        }
        return x =>
        {
            int n = x.Shape[0];
            Tensor? sum = null;
            for (int j = 0; j < copies; j++)
            {
                var s = Method.SampleForTestTime(n, rng);
                var y = Method.Model.Forward(Task.InputAction.Apply(s.G, x));
                y = Task.Kind == TaskKind.Classification ? y.Softmax(1) : Task.OutputAction.Apply(s.Inverse, y);
                sum = sum is null ? y : sum.Add(y);
            }
            var mean = sum!.Mul(1f / copies);
            return Task.Kind == TaskKind.Classification ? mean.Add(1e-12f).Log() : mean;
        };
    }

    private Dictionary<string, double> EvaluateOn(SampleSet data, string name)
    {
        var metrics = Task.Evaluate(Predictor(new Random(Mix(Options.Seed, 0, 5))), data, Options.Device, Options.EvalBatchSize, Mix(Options.Seed, 0, 4));
        foreach (var (k, v) in metrics)
        {
            if (!double.IsFinite(v))
            {
                throw new TrainingDivergedException(string.Create(CultureInfo.InvariantCulture, $"epoch {_history.Count + 1}: the {name} {k} became {v}."));
            }
        }
        return metrics;
    }

    // Seeded training batches of unaugmented inputs for recomputing the batch-norm statistics.
    private IEnumerable<Tensor> StatisticsBatches(int epoch)
    {
        var train = Task.Train;
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(Mix(Options.Seed, epoch, 6)).Shuffle(order);
        int batches = Math.Min(Options.RecomputeBatchNormBatches, (train.Count + Options.BatchSize - 1) / Options.BatchSize);
        for (int b = 0; b < batches; b++)
        {
            int start = b * Options.BatchSize;
            yield return train.Gather(order.AsSpan(start, Math.Min(Options.BatchSize, train.Count - start)), Options.Device).X;
        }
    }

    private EpochRecord Evaluate(int epoch, string phase, Dictionary<string, double> losses, Stopwatch watch)
    {
        if (Options.RecomputeBatchNormBatches > 0)
        {
            using var scope = new TensorScope();
            BatchNormStatistics.Recompute(Method.Model, StatisticsBatches(epoch));
        }
        SetTraining(false);
        try
        {
            var validation = EvaluateOn(Task.Validation, "validation");
            Dictionary<string, double>? test = null;
            if (epoch >= TotalEpochs)
            {
                test = EvaluateOn(Task.Test, "test");
                foreach (var (setName, set) in Task.ExtraTestSets)
                {
                    foreach (var (k, v) in EvaluateOn(set, setName))
                    {
                        test[setName + "_" + k] = v;
                    }
                }
            }
            double cosine = double.NaN, subspace = double.NaN;
            var references = new Dictionary<string, double>();
            if (Method.Augmenter is { } augmenter)
            {
                var dirs = augmenter.DirectionMatrices();
                if (Task.GroundTruth is { } gt)
                {
                    cosine = LieAlgebraMetrics.BestMatchCosine(dirs, gt.Generator);
                    subspace = LieAlgebraMetrics.SubspaceSimilarity(dirs, gt.Generators);
                }
                foreach (var (name, basis) in Task.ReferenceBases)
                {
                    references["subspace_" + name] = LieAlgebraMetrics.SubspaceSimilarity(dirs, basis);
                }
            }
            return new EpochRecord
            {
                Epoch = epoch,
                Phase = phase,
                Losses = losses,
                Validation = validation,
                Test = test,
                GeneratorCosine = cosine,
                SubspaceSimilarity = subspace,
                References = references,
                Extents = Method.Extents().ToArray(),
                Seconds = watch.Elapsed.TotalSeconds,
            };
        }
        finally
        {
            SetTraining(true);
        }
    }

    /// <summary>One line describing an epoch, for the console.</summary>
    public static string Describe(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var ic = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ic, $"epoch {record.Epoch}{(record.Phase == "train" ? string.Empty : " (" + record.Phase + ")")}") };
        parts.AddRange(record.Losses.Select(kv => string.Create(ic, $"{kv.Key} {kv.Value:G4}")));
        parts.AddRange(record.Validation.Select(kv => string.Create(ic, $"val {kv.Key} {kv.Value:G4}")));
        if (record.Test is not null)
        {
            parts.AddRange(record.Test.Select(kv => string.Create(ic, $"test {kv.Key} {kv.Value:G4}")));
        }
        if (!double.IsNaN(record.GeneratorCosine))
        {
            parts.Add(string.Create(ic, $"cosine {record.GeneratorCosine:F4}"));
        }
        if (record.Extents.Count > 0)
        {
            parts.Add("extents " + string.Join("/", record.Extents.Select(e => e.ToString("F3", ic))));
        }
        parts.Add(string.Create(ic, $"{record.Seconds:F1}s"));
        return string.Join(" | ", parts);
    }
}

using System.Diagnostics;
using System.Globalization;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Metrics;
using Semola.Core.Models;

namespace Semola.Core.Training;

/// <summary>
/// Trains an image classifier with one of the <see cref="ImageMethod"/>s and evaluates it every epoch:
/// test accuracy, invariance under the ground-truth group and, for SEMoLA, how close the learned
/// generators are to the ground truth. All randomness is derived from the seed and the epoch number,
/// so a run resumed from an epoch checkpoint continues exactly as the uninterrupted one.
/// </summary>
public sealed class ImageSymmetryTrainer : ICheckpointedTrainer<EpochRecord>
{
    private readonly ImageDataSet _train;
    private readonly ImageDataSet _test;
    private readonly IGroupAction _action = new ImageAffineAction();
    private readonly SemolaObjective? _objective;
    private readonly List<EpochRecord> _history = [];
    private long _step;
    private Random _gtRng;
    private CosineLr? _schedule;

    /// <summary>Builds the model (and augmenter and discriminator for SEMoLA) from the seed.</summary>
    public ImageSymmetryTrainer(ImageTrainerOptions options, ImageDataSet train, ImageDataSet test, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _train = train ?? throw new ArgumentNullException(nameof(train));
        _test = test ?? throw new ArgumentNullException(nameof(test));
        _gtRng = new Random(Mix(options.Seed, 0, 2));
        var rng = new Random(options.Seed);
        using (TensorScope.Suspend())
        {
            Model = BaseCnn.Build(rng, train.Channels, classes).To(options.Device);
            ModelOptimizer = new Adam(Model.Parameters(), options.LearningRate);
            if (options.Method == ImageMethod.Semola)
            {
                var s = options.Semola;
                Augmenter = new LieAugmenter(options.Space, s.Generators, options.Seed + 1, s.InitialExtent, options.Device);
                AugmenterOptimizer = new Adam(Augmenter.Parameters(), s.AugmenterLearningRate);
                if (s.LambdaDist > 0f)
                {
                    Discriminator = new Discriminator(train.ImageSize, s.DiscriminatorWidth, s.DiscriminatorLearningRate, new Random(options.Seed + 2), options.Device);
                }
                _objective = new SemolaObjective(s, TaskKind.Classification, _action, new TrivialAction());
            }
        }
    }

    /// <summary>The settings.</summary>
    public ImageTrainerOptions Options { get; }

    /// <inheritdoc />
    public string MethodName => Options.Method.ToString();

    /// <inheritdoc />
    public int Seed => Options.Seed;

    /// <summary>The base model f.</summary>
    public Module Model { get; }

    /// <summary>The base model's optimizer.</summary>
    public Adam ModelOptimizer { get; }

    /// <summary>The augmenter (SEMoLA only).</summary>
    public LieAugmenter? Augmenter { get; }

    /// <summary>The augmenter's optimizer (SEMoLA only).</summary>
    public Adam? AugmenterOptimizer { get; }

    /// <summary>The discriminator of the distribution term (SEMoLA with lambda_dist &gt; 0).</summary>
    public Discriminator? Discriminator { get; }

    /// <summary>Epochs completed so far.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <summary>Number of completed epochs.</summary>
    public int CompletedEpochs => _history.Count;

    /// <summary>Receives progress lines (none by default).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Restores the epoch history after loading a checkpoint, so training continues from the next epoch.</summary>
    public void RestoreHistory(IEnumerable<EpochRecord> history, long steps)
    {
        _history.Clear();
        _history.AddRange(history);
        _step = steps;
    }

    /// <summary>Total optimizer steps taken.</summary>
    public long Steps => _step;

    private static int Mix(int seed, int epoch, int stream) => unchecked((seed * 1_000_003) ^ (epoch * 7919) ^ (stream * 104_729));

    /// <summary>Runs one more epoch (training then evaluation) and returns its record.</summary>
    public EpochRecord RunEpoch()
    {
        int epoch = _history.Count + 1;
        var watch = Stopwatch.StartNew();
        var order = Enumerable.Range(0, _train.Count).ToArray();
        new Random(Mix(Options.Seed, epoch, 1)).Shuffle(order);
        _gtRng = new Random(Mix(Options.Seed, epoch, 2));
        Augmenter?.Reseed(Mix(Options.Seed, epoch, 3));
        var sums = new Dictionary<string, double>();
        int steps = 0;
        int batches = (_train.Count + Options.BatchSize - 1) / Options.BatchSize;
        int reportEvery = Options.ProgressLinesPerEpoch > 0 ? Math.Max(1, batches / Options.ProgressLinesPerEpoch) : int.MaxValue;
        Model.Train();
        for (int bi = 0; bi < batches; bi++)
        {
            int start = bi * Options.BatchSize;
            int n = Math.Min(Options.BatchSize, _train.Count - start);
            using var scope = new TensorScope();
            var (x, labels) = BatchAt(order, start, n);
            var values = Step(new Batch(x, labels));
            foreach (var (k, v) in values)
            {
                if (!float.IsFinite(v))
                {
                    throw new TrainingDivergedException($"Epoch {epoch}, step {bi + 1}: the {k} loss became {v}.");
                }
                sums[k] = sums.GetValueOrDefault(k) + v;
            }
            steps++;
            if ((bi + 1) % reportEvery == 0 && bi + 1 < batches)
            {
                double rate = (double)(start + n) / watch.Elapsed.TotalSeconds;
                Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch} step {bi + 1}/{batches} loss {values["total"]:F4} ({rate:F0} images/s)"));
            }
        }
        var losses = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(steps, 1));
        var record = Evaluate(epoch, losses, watch);
        _history.Add(record);
        return record;
    }

    private (Tensor X, int[] Labels) BatchAt(int[] order, int start, int n)
    {
        int size = _train.ImageSize;
        var pixels = new float[n * size];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int idx = order[start + i];
            _train.Pixels.AsSpan(idx * size, size).CopyTo(pixels.AsSpan(i * size));
            labels[i] = _train.Labels[idx];
        }
        return (Tensor.FromArray(pixels, [n, _train.Channels, _train.Height, _train.Width], Options.Device), labels);
    }

    /// <summary>
    /// One optimisation step on <paramref name="batch"/> (images and labels) with the trainer's method;
    /// returns the loss terms. Call it inside a <see cref="TensorScope"/>.
    /// </summary>
    public IReadOnlyDictionary<string, float> Step(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Options.CosineSchedule)
        {
            int perEpoch = (_train.Count + Options.BatchSize - 1) / Options.BatchSize;
            _schedule ??= new CosineLr(Options.LearningRate, Math.Max(1, perEpoch * Options.Epochs));
            _schedule.Apply(ModelOptimizer, (int)Math.Min(_step, int.MaxValue));
        }
        var values = StepCore(batch);
        _step++;
        return values;
    }

    private Dictionary<string, float> StepCore(Batch batch)
    {
        switch (Options.Method)
        {
            case ImageMethod.Base:
            {
                var loss = Losses.CrossEntropy(Model.Forward(batch.X), batch.Labels!);
                ModelOptimizer.Step(loss.Backward());
                return new() { ["total"] = loss.Item(), ["task"] = loss.Item() };
            }
            case ImageMethod.GtAug:
            {
                var g = Options.GroundTruth.Sample(batch.Size, _gtRng, Options.Device);
                var loss = Losses.CrossEntropy(Model.Forward(_action.Apply(g, batch.X)), batch.Labels!);
                ModelOptimizer.Step(loss.Backward());
                return new() { ["total"] = loss.Item(), ["task"] = loss.Item() };
            }
            default:
                return SemolaStep(batch);
        }
    }

    private Dictionary<string, float> SemolaStep(Batch batch)
    {
        var s = Options.Semola;
        if (_step < s.WarmupSteps)
        {
            var loss = Losses.CrossEntropy(Model.Forward(batch.X), batch.Labels!);
            ModelOptimizer.Step(loss.Backward());
            return new() { ["total"] = loss.Item(), ["task"] = loss.Item() };
        }
        var terms = _objective!.Compute(Model, Augmenter!, Discriminator, batch);
        var grads = terms.Total.Backward();
        ModelOptimizer.Step(grads);
        AugmenterOptimizer!.Step(grads);
        var values = new Dictionary<string, float>(terms.Values());
        if (Discriminator is not null)
        {
            values["disc"] = Discriminator.TrainStep(_objective.DiscriminatorInput(batch.X, null), _objective.DiscriminatorInput(terms.ProbeInputs, null));
        }
        return values;
    }

    private EpochRecord Evaluate(int epoch, Dictionary<string, double> losses, Stopwatch watch)
    {
        double accuracy = ClassifierMetrics.Accuracy(Model, _test, Options.Device, Options.EvalBatchSize);
        var invRng = new Random(Mix(Options.Seed, 0, 4)); // the same transformations every epoch
        var (violation, kl) = ClassifierMetrics.Invariance(Model, _test, _action, n => Options.GroundTruth.Sample(n, invRng, Options.Device), Options.Device, Options.EvalBatchSize);
        double cosine = double.NaN, subspace = double.NaN;
        IReadOnlyList<float> extents = [];
        if (Augmenter is not null)
        {
            var dirs = Augmenter.DirectionMatrices();
            cosine = LieAlgebraMetrics.BestMatchCosine(dirs, Options.GroundTruth.Generator);
            subspace = LieAlgebraMetrics.SubspaceSimilarity(dirs, [Options.GroundTruth.Generator]);
            extents = Augmenter.ExtentValues();
        }
        return new EpochRecord
        {
            Epoch = epoch,
            Losses = losses,
            TestAccuracy = accuracy,
            GeneratorCosine = cosine,
            SubspaceSimilarity = subspace,
            InvarianceViolationRate = violation,
            InvarianceKl = kl,
            Extents = extents,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>One line describing an epoch, for the console.</summary>
    public static string Describe(EpochRecord r)
    {
        var parts = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch}"),
        };
        foreach (var (k, v) in r.Losses)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{k} {v:G4}"));
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"test acc {r.TestAccuracy:F4}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"inv viol {r.InvarianceViolationRate:F3}"));
        if (!double.IsNaN(r.GeneratorCosine))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cosine {r.GeneratorCosine:F4}"));
            parts.Add("extents " + string.Join("/", r.Extents.Select(e => e.ToString("F3", CultureInfo.InvariantCulture))));
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{r.Seconds:F1}s"));
        return string.Join(" | ", parts);
    }
}

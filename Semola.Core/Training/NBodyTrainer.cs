using System.Diagnostics;
using System.Globalization;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Models;

namespace Semola.Core.Training;

/// <summary>
/// Trains an N-body predictor (windows of states to the next states) with one of the
/// <see cref="NBodyMethod"/>s and evaluates it every epoch: test MSE, equivariance error under the
/// ground-truth rotation and, where a generator is learned, its cosine with the ground truth. Inputs and
/// targets both transform with rho(g) x_t = g x_t per time step. All randomness is derived from the seed
/// and the epoch number, so a run resumed from an epoch checkpoint continues exactly as the uninterrupted one.
/// </summary>
public sealed class NBodyTrainer : ICheckpointedTrainer<NBodyEpochRecord>
{
    private readonly NBodyWindows _train;
    private readonly NBodyWindows _test;
    private readonly NBodyWindows? _testId;
    private readonly VectorAction _action = new();
    private readonly SemolaObjective? _objective;
    private readonly List<NBodyEpochRecord> _history = [];
    private long _step;

    /// <summary>Builds the model (and the generator and discriminator where the method has them) from the seed.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="train">Training windows.</param>
    /// <param name="test">Test windows (the variant's test set).</param>
    /// <param name="testId">Optional second, in-distribution test set (for the OOD variant).</param>
    public NBodyTrainer(NBodyTrainerOptions options, NBodyWindows train, NBodyWindows test, NBodyWindows? testId = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _train = train ?? throw new ArgumentNullException(nameof(train));
        _test = test ?? throw new ArgumentNullException(nameof(test));
        _testId = testId;
        foreach (var w in new[] { test, testId })
        {
            if (w is not null && (w.InputSize != train.InputSize || w.OutputSize != train.OutputSize))
            {
                throw new ArgumentException($"N-body: test windows ({w.InputSize} -> {w.OutputSize}) do not match the training windows ({train.InputSize} -> {train.OutputSize}).");
            }
        }
        if (train.StateSize != 4 * options.Bodies)
        {
            throw new ArgumentException($"N-body: the data has states of {train.StateSize} values but {options.Bodies} bodies need {4 * options.Bodies}.");
        }
        var rng = new Random(options.Seed);
        using (TensorScope.Suspend())
        {
            var mlp = new Mlp([train.InputSize, options.Hidden, options.Hidden, train.OutputSize], rng);
            Model = options.Method == NBodyMethod.Equivariant ? new NBodyCanonicalModel(mlp, train.InputSteps, train.StateSize) : mlp;
            ModelOptimizer = new Adam(Model.Parameters(), options.LearningRate);
            var s = options.Semola;
            var b = options.Baseline;
            switch (options.Method)
            {
                case NBodyMethod.Semola:
                    Augmenter = new LieAugmenter(options.Space, s.Generators, options.Seed + 1, s.InitialExtent, options.Device);
                    AugmenterOptimizer = new Adam(Augmenter.Parameters(), s.AugmenterLearningRate);
                    if (s.LambdaDist > 0f)
                    {
                        Discriminator = new Discriminator(train.InputSize + train.OutputSize, s.DiscriminatorWidth, s.DiscriminatorLearningRate, new Random(options.Seed + 2));
                    }
                    _objective = new SemolaObjective(s, TaskKind.Regression, _action, _action);
                    break;
                case NBodyMethod.AugerinoPlus:
                case NBodyMethod.LieGan:
                    Augmenter = new LieAugmenter(options.Space, s.Generators, options.Seed + 1, 1f, options.Device);
                    AugmenterOptimizer = new Adam([Augmenter.Weight], b.GeneratorLearningRate, beta1: 0.5f, beta2: 0.999f);
                    if (options.Method == NBodyMethod.LieGan)
                    {
                        Discriminator = new Discriminator(train.InputSize + train.OutputSize, b.DiscriminatorWidth, b.DiscriminatorLearningRate, new Random(options.Seed + 2));
                    }
                    break;
            }
        }
    }

    /// <summary>The settings.</summary>
    public NBodyTrainerOptions Options { get; }

    /// <inheritdoc />
    public string MethodName => Options.Method.ToString();

    /// <inheritdoc />
    public int Seed => Options.Seed;

    /// <summary>The predictor f.</summary>
    public Module Model { get; }

    /// <summary>The predictor's optimizer.</summary>
    public Adam ModelOptimizer { get; }

    /// <summary>The learned generators (SEMoLA, Augerino+, LieGAN).</summary>
    public LieAugmenter? Augmenter { get; }

    /// <summary>The generators' optimizer.</summary>
    public Adam? AugmenterOptimizer { get; }

    /// <summary>The discriminator (SEMoLA with lambda_dist &gt; 0, LieGAN).</summary>
    public Discriminator? Discriminator { get; }

    /// <summary>Epochs completed so far.</summary>
    public IReadOnlyList<NBodyEpochRecord> History => _history;

    /// <summary>Number of completed epochs.</summary>
    public int CompletedEpochs => _history.Count;

    /// <summary>Total optimizer steps taken.</summary>
    public long Steps => _step;

    /// <summary>Receives progress lines (none by default).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Restores the epoch history after loading a checkpoint, so training continues from the next epoch.</summary>
    public void RestoreHistory(IEnumerable<NBodyEpochRecord> history, long steps)
    {
        _history.Clear();
        _history.AddRange(history);
        _step = steps;
    }

    private static int Mix(int seed, int epoch, int stream) => unchecked((seed * 1_000_003) ^ (epoch * 7919) ^ (stream * 104_729));

    private bool IsDiscoveryEpoch(int epoch) => Options.Method == NBodyMethod.LieGan && epoch <= Options.Baseline.DiscoveryEpochs;

    /// <summary>Runs one more epoch (training then evaluation) and returns its record.</summary>
    public NBodyEpochRecord RunEpoch()
    {
        int epoch = _history.Count + 1;
        bool discovery = IsDiscoveryEpoch(epoch);
        var watch = Stopwatch.StartNew();
        var order = Enumerable.Range(0, _train.Count).ToArray();
        new Random(Mix(Options.Seed, epoch, 1)).Shuffle(order);
        var rng = new Random(Mix(Options.Seed, epoch, 2));
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
            var batch = BatchAt(order, start, n);
            if (Options.CosineSchedule && !discovery)
            {
                ApplySchedule(batches);
            }
            var values = discovery ? LieGanDiscoveryStep(batch, rng) : TrainStep(batch, rng);
            foreach (var (k, v) in values)
            {
                if (!float.IsFinite(v))
                {
                    throw new TrainingDivergedException($"Epoch {epoch}, step {bi + 1}: the {k} loss became {v}.");
                }
                sums[k] = sums.GetValueOrDefault(k) + v;
            }
            steps++;
            _step++;
            if ((bi + 1) % reportEvery == 0 && bi + 1 < batches)
            {
                Log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"  epoch {epoch} step {bi + 1}/{batches} loss {values["total"]:G4}"));
            }
        }
        var losses = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(steps, 1));
        var record = Evaluate(epoch, discovery ? "discovery" : "train", losses, watch);
        _history.Add(record);
        return record;
    }

    /// <summary>Sets the learning rates of the next step from the cosine schedule over the model's training steps.</summary>
    private void ApplySchedule(int batchesPerEpoch)
    {
        double total = (double)Options.Epochs * batchesPerEpoch;
        double t = Math.Min(ModelOptimizer.StepCount, total) / total;
        float factor = (float)(0.5 * (1 + Math.Cos(Math.PI * t)));
        ModelOptimizer.LearningRate = Options.LearningRate * factor;
        if (AugmenterOptimizer is not null)
        {
            float baseLr = Options.Method == NBodyMethod.Semola ? Options.Semola.AugmenterLearningRate : Options.Baseline.GeneratorLearningRate;
            AugmenterOptimizer.LearningRate = baseLr * factor;
        }
    }

    private Batch BatchAt(int[] order, int start, int n)
    {
        int xs = _train.InputSize, ys = _train.OutputSize;
        var x = new float[n * xs];
        var y = new float[n * ys];
        for (int i = 0; i < n; i++)
        {
            int idx = order[start + i];
            _train.X.AsSpan(idx * xs, xs).CopyTo(x.AsSpan(i * xs));
            _train.Y.AsSpan(idx * ys, ys).CopyTo(y.AsSpan(i * ys));
        }
        return new Batch(Tensor.FromArray(x, [n, xs], Options.Device), Y: Tensor.FromArray(y, [n, ys], Options.Device));
    }

    private static Dictionary<string, float> Single(Tensor loss) => new() { ["total"] = loss.Item(), ["task"] = loss.Item() };

    private Dictionary<string, float> TrainStep(Batch batch, Random rng)
    {
        switch (Options.Method)
        {
            case NBodyMethod.Base:
            case NBodyMethod.Equivariant:
            {
                var loss = Losses.Mse(Model.Forward(batch.X), batch.Y!);
                ModelOptimizer.Step(loss.Backward());
                return Single(loss);
            }
            case NBodyMethod.GtAug:
            {
                var g = Options.GroundTruth.Sample(batch.Size, rng, Options.Device);
                return AugmentedStep(batch, g);
            }
            case NBodyMethod.LieGan:
            {
                // Phase two: the discovered direction, frozen, as a full-range augmentation (as gt-aug's range).
                Tensor g;
                using (GradMode.NoGrad())
                {
                    var u = Tensor.Uniform([batch.Size, Augmenter!.K], -1f, 1f, rng, Options.Device);
                    g = Augmenter.SampleFrom(u, NBodyTrainerOptions.FullTurnExtent(Options.Bodies)).G;
                }
                return AugmentedStep(batch, g);
            }
            case NBodyMethod.AugerinoPlus:
                return AugerinoPlusStep(batch, rng);
            default:
                return SemolaStep(batch);
        }
    }

    private Dictionary<string, float> AugmentedStep(Batch batch, Tensor g)
    {
        var loss = Losses.Mse(Model.Forward(_action.Apply(g, batch.X)), _action.Apply(g, batch.Y!));
        ModelOptimizer.Step(loss.Backward());
        return Single(loss);
    }

    private Dictionary<string, float> SemolaStep(Batch batch)
    {
        var s = Options.Semola;
        if (_step < s.WarmupSteps)
        {
            var loss = Losses.Mse(Model.Forward(batch.X), batch.Y!);
            ModelOptimizer.Step(loss.Backward());
            return Single(loss);
        }
        var terms = _objective!.Compute(Model, Augmenter!, Discriminator, batch);
        var grads = terms.Total.Backward();
        ModelOptimizer.Step(grads);
        AugmenterOptimizer!.Step(grads);
        var values = new Dictionary<string, float>(terms.Values());
        if (Discriminator is not null)
        {
            values["disc"] = Discriminator.TrainStep(_objective.DiscriminatorInput(batch.X, batch.Y), _objective.DiscriminatorInput(terms.ProbeInputs, terms.ProbeTargets));
        }
        return values;
    }

    /// <summary>Group elements exp(z Lhat) with z ~ N(0, sigma^2) (gradients reach the directions only).</summary>
    private GroupSample GaussianSample(int count, Random rng) =>
        Augmenter!.SampleFrom(Tensor.Normal([count, Augmenter.K], 0f, 1f, rng, Options.Device), Options.Baseline.Sigma);

    /// <summary>|mean over the batch of cos(a_b, b_b)| of flattened rows.</summary>
    public static Tensor AbsMeanCosine(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int n = a.Shape[0];
        var fa = a.Reshape(n, -1);
        var fb = b.Reshape(n, -1);
        var dot = fa.Mul(fb).Sum(1);
        var norms = fa.Square().Sum(1).Add(1e-12f).Sqrt().Mul(fb.Square().Sum(1).Add(1e-12f).Sqrt());
        return dot.Div(norms).Mean().Abs();
    }

    /// <summary>The generator regularisers shared by Augerino+ and LieGAN: mu ||Lhat||_1 + eta sum_{i&lt;j} |&lt;Lhat_i, Lhat_j&gt;|.</summary>
    private Tensor GeneratorRegulariser()
    {
        var b = Options.Baseline;
        var l1 = Augmenter!.SparsityPenalty();
        int k = Augmenter.K;
        var d = Augmenter.Directions().Reshape(k, -1);
        var corr = d.MatMul(d.Transpose()).Abs().Sum().Add(-k).Mul(0.5f);
        return l1.Mul(b.Mu).Add(corr.Mul(b.Eta));
    }

    private Dictionary<string, float> AugerinoPlusStep(Batch batch, Random rng)
    {
        var b = Options.Baseline;
        var g = GaussianSample(batch.Size, rng).G;
        var gx = _action.Apply(g, batch.X);
        var task = Losses.Mse(Model.Forward(gx), _action.Apply(g, batch.Y!));
        var cos = AbsMeanCosine(gx, batch.X);
        var reg = GeneratorRegulariser();
        var total = task.Add(cos.Mul(b.LambdaCos)).Add(reg);
        var grads = total.Backward();
        ModelOptimizer.Step(grads);
        AugmenterOptimizer!.Step(grads);
        return new() { ["total"] = total.Item(), ["task_aug"] = task.Item(), ["cos"] = cos.Item(), ["reg"] = reg.Item() };
    }

    private Tensor PairInput(Tensor x, Tensor y) => Tensor.Concat([x.Reshape(x.Shape[0], -1), y.Reshape(y.Shape[0], -1)], 1);

    private Dictionary<string, float> LieGanDiscoveryStep(Batch batch, Random rng)
    {
        var b = Options.Baseline;
        var g = GaussianSample(batch.Size, rng).G;
        var gx = _action.Apply(g, batch.X);
        var gy = _action.Apply(g, batch.Y!);
        float disc = Discriminator!.TrainStep(PairInput(batch.X, batch.Y!), PairInput(gx, gy));
        var adversarial = Discriminator.BceReal(Discriminator.Forward(PairInput(gx, gy)));
        var cos = AbsMeanCosine(gx, batch.X);
        var reg = GeneratorRegulariser();
        var total = adversarial.Add(cos.Mul(b.LambdaCos)).Add(reg);
        AugmenterOptimizer!.Step(total.Backward());
        return new() { ["total"] = total.Item(), ["gen"] = adversarial.Item(), ["cos"] = cos.Item(), ["reg"] = reg.Item(), ["disc"] = disc };
    }

    private NBodyEpochRecord Evaluate(int epoch, string phase, Dictionary<string, double> losses, Stopwatch watch)
    {
        var eqRng = new Random(Mix(Options.Seed, 0, 4)); // the same rotations every epoch
        var (mse, eq) = Metrics(_test, eqRng);
        double mseId = _testId is null ? double.NaN : Metrics(_testId, null).Mse;
        double cosine = double.NaN, subspace = double.NaN;
        IReadOnlyList<float> extents = [];
        if (Augmenter is not null)
        {
            var dirs = Augmenter.DirectionMatrices();
            cosine = LieAlgebraMetrics.BestMatchCosine(dirs, Options.GroundTruth.Generator);
            subspace = LieAlgebraMetrics.SubspaceSimilarity(dirs, [Options.GroundTruth.Generator]);
            if (Options.Method == NBodyMethod.Semola)
            {
                extents = Augmenter.ExtentValues();
            }
        }
        return new NBodyEpochRecord
        {
            Epoch = epoch,
            Phase = phase,
            Losses = losses,
            TestMse = mse,
            TestMseId = mseId,
            EquivarianceError = eq,
            GeneratorCosine = cosine,
            SubspaceSimilarity = subspace,
            Extents = extents,
            Seconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Test MSE of f(x) and (when <paramref name="eqRng"/> is given) the equivariance error, both mean per coordinate.</summary>
    private (double Mse, double Equivariance) Metrics(NBodyWindows data, Random? eqRng)
    {
        Model.Eval();
        double mse = 0, eq = 0;
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += Options.EvalBatchSize)
            {
                int n = Math.Min(Options.EvalBatchSize, data.Count - start);
                using var scope = new TensorScope();
                var x = Tensor.FromArray(data.X.AsSpan(start * data.InputSize, n * data.InputSize), [n, data.InputSize], Options.Device);
                var y = Tensor.FromArray(data.Y.AsSpan(start * data.OutputSize, n * data.OutputSize), [n, data.OutputSize], Options.Device);
                var fx = Model.Forward(x);
                mse += Losses.Mse(fx, y).Item() * n;
                if (eqRng is not null)
                {
                    var g = Options.GroundTruth.Sample(n, eqRng, Options.Device);
                    eq += Losses.Mse(Model.Forward(_action.Apply(g, x)), _action.Apply(g, fx)).Item() * n;
                }
            }
        }
        Model.Train();
        return (mse / data.Count, eq / data.Count);
    }

    /// <summary>One line describing an epoch, for the console.</summary>
    public static string Describe(NBodyEpochRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var ic = CultureInfo.InvariantCulture;
        var parts = new List<string> { string.Create(ic, $"epoch {r.Epoch}{(r.Phase == "train" ? string.Empty : " (" + r.Phase + ")")}") };
        foreach (var (k, v) in r.Losses)
        {
            parts.Add(string.Create(ic, $"{k} {v:G4}"));
        }
        parts.Add(string.Create(ic, $"test mse {r.TestMse:G4}"));
        if (!double.IsNaN(r.TestMseId))
        {
            parts.Add(string.Create(ic, $"id mse {r.TestMseId:G4}"));
        }
        parts.Add(string.Create(ic, $"eq err {r.EquivarianceError:G4}"));
        if (!double.IsNaN(r.GeneratorCosine))
        {
            parts.Add(string.Create(ic, $"cosine {r.GeneratorCosine:F4}"));
        }
        if (r.Extents.Count > 0)
        {
            parts.Add("extents " + string.Join("/", r.Extents.Select(e => e.ToString("F3", ic))));
        }
        parts.Add(string.Create(ic, $"{r.Seconds:F1}s"));
        return string.Join(" | ", parts);
    }
}

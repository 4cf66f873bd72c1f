using System.Security.Cryptography;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>
/// A learning problem the training core can run with any method: the data (train, validation and test
/// splits), a model factory, the group action on inputs and on targets, the task loss and the evaluation
/// metrics. A task never sees the augmenter; ground truth (<see cref="GroundTruth"/>) is read only by
/// metrics and by the oracle references (gt-aug, the hard-equivariant models). See docs/adding-an-experiment.md.
/// </summary>
public abstract class SymmetryTask
{
    private static readonly IGroupAction Trivial = new TrivialAction();

    /// <summary>Creates the task from its splits (the validation split is carved from the training data).</summary>
    protected SymmetryTask(SampleSet train, SampleSet validation, SampleSet test)
    {
        Train = train ?? throw new ArgumentNullException(nameof(train));
        Validation = validation ?? throw new ArgumentNullException(nameof(validation));
        Test = test ?? throw new ArgumentNullException(nameof(test));
        foreach (var (name, s) in new[] { ("validation", validation), ("test", test) })
        {
            if (!s.SampleShape.SequenceEqual(train.SampleShape) || !s.TargetShape.SequenceEqual(train.TargetShape) || (s.Labels is null) != (train.Labels is null))
            {
                throw new ArgumentException($"The {name} split's samples do not have the training split's shapes.");
            }
        }
        if (train.Count < 1 || validation.Count < 1 || test.Count < 1)
        {
            throw new ArgumentException($"Every split needs at least one sample: train {train.Count}, validation {validation.Count}, test {test.Count}.");
        }
    }

    /// <summary>A short name for logs and results (e.g. "rotmnist").</summary>
    public abstract string Name { get; }

    /// <summary>Classification (invariant targets) or regression.</summary>
    public TaskKind Kind => Train.Labels is null ? TaskKind.Regression : TaskKind.Classification;

    /// <summary>Training split.</summary>
    public SampleSet Train { get; }

    /// <summary>Validation split (carved from the training data; every choice of defaults is made on it).</summary>
    public SampleSet Validation { get; }

    /// <summary>Test split (read once per reported run, after the last epoch).</summary>
    public SampleSet Test { get; }

    /// <summary>Further test splits reported beside the test split (e.g. "id" for an OOD variant's in-distribution set).</summary>
    public virtual IReadOnlyDictionary<string, SampleSet> ExtraTestSets { get; } = new Dictionary<string, SampleSet>();

    /// <summary>Number of classes (classification).</summary>
    public virtual int Classes => Train.Labels is null ? 0 : Train.Labels.Max() + 1;

    /// <summary>rho_X: how a group element [n, n] acts on an input.</summary>
    public abstract IGroupAction InputAction { get; }

    /// <summary>rho_Y: how it acts on a target (trivial for invariant targets).</summary>
    public virtual IGroupAction OutputAction => Kind == TaskKind.Classification ? Trivial : InputAction;

    /// <summary>The order n of the group's matrices.</summary>
    public abstract int GroupDimension { get; }

    /// <summary>Where learned generators live unless the run chooses another search space.</summary>
    public virtual SearchSpace DefaultSpace => SearchSpace.Full(GroupDimension);

    /// <summary>The symmetry the data really has, where known (metrics and oracle methods only).</summary>
    public virtual GroundTruthGroup? GroundTruth => null;

    /// <summary>Named reference bases whose subspace similarity with the learned span is reported (e.g. "so3", "se3").</summary>
    public virtual IReadOnlyDictionary<string, IReadOnlyList<double[,]>> ReferenceBases { get; } = new Dictionary<string, IReadOnlyList<double[,]>>();

    /// <summary>The factor that turns a regression target's units into the reported ones (mae is reported times it).</summary>
    public virtual double TargetScale => 1.0;

    /// <summary>The base model f.</summary>
    public abstract Module CreateModel(Random rng);

    /// <summary>The hard-equivariant reference model (an oracle: it is built from the known symmetry).</summary>
    public virtual Module CreateEquivariantModel(Random rng) =>
        throw new NotSupportedException($"{Name}: this experiment has no hard-equivariant model.");

    /// <summary>The fixed generators Augerino augments with (default: the search space's elements).</summary>
    public virtual IReadOnlyList<double[,]> AugerinoBasis(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.Elements;
    }

    /// <summary>The task loss l(prediction, target): cross-entropy or mean squared error.</summary>
    public Tensor Loss(Tensor prediction, Batch batch, Tensor? targets = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(batch);
        return Kind == TaskKind.Classification
            ? Losses.CrossEntropy(prediction, batch.Labels!)
            : Losses.Mse(prediction, targets ?? batch.Y!);
    }

    /// <summary>SHA-256 of every split (the run identity's data checksum), as lower-case hex.</summary>
    public string DataChecksum()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var s in new[] { Train, Validation, Test }.Concat(ExtraTestSets.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value)))
        {
            s.HashInto(hash);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Metrics of <paramref name="predict"/> on <paramref name="data"/>: accuracy (classification) or mse (regression),
    /// and, where the ground truth is known, the invariance violation rate and mean KL (classification) or the
    /// equivariance error (regression) under random ground-truth transformations drawn from <paramref name="seed"/>.
    /// </summary>
    public Dictionary<string, double> Evaluate(Func<Tensor, Tensor> predict, SampleSet data, Device device, int batchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(predict);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(device);
        var rng = new Random(seed);
        var gt = GroundTruth;
        double main = 0, changed = 0, kl = 0, eq = 0, mae = 0;
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = new TensorScope();
                int n = Math.Min(batchSize, data.Count - start);
                var batch = data.Range(start, n, device);
                var g = gt?.Sample(n, rng, device);
                if (Kind == TaskKind.Classification)
                {
                    var x = g is null ? batch.X : Tensor.Concat([batch.X, InputAction.Apply(g, batch.X)], 0);
                    var logits = predict(x);
                    var lx = logits.Narrow(0, 0, n);
                    var a = lx.ArgMax(1).ToArray();
                    for (int i = 0; i < n; i++)
                    {
                        main += (int)a[i] == batch.Labels![i] ? 1 : 0;
                    }
                    if (g is not null)
                    {
                        var lgx = logits.Narrow(0, n, n);
                        var b = lgx.ArgMax(1).ToArray();
                        for (int i = 0; i < n; i++)
                        {
                            changed += a[i] != b[i] ? 1 : 0;
                        }
                        kl += Losses.KlDivergence(lx, lgx).Item() * n;
                    }
                }
                else
                {
                    var fx = predict(batch.X);
                    main += Losses.Mse(fx, batch.Y!).Item() * n;
                    mae += fx.Sub(batch.Y!).Abs().Mean().Item() * n;
                    if (g is not null)
                    {
                        eq += Losses.Mse(predict(InputAction.Apply(g, batch.X)), OutputAction.Apply(g, fx)).Item() * n;
                    }
                }
            }
        }
        int count = Math.Max(data.Count, 1);
        var metrics = new Dictionary<string, double>();
        if (Kind == TaskKind.Classification)
        {
            metrics["accuracy"] = main / count;
            if (gt is not null)
            {
                metrics["invariance_violation_rate"] = changed / count;
                metrics["invariance_kl"] = kl / count;
            }
        }
        else
        {
            metrics["mse"] = main / count;
            metrics["mae"] = mae / count * TargetScale;
            if (gt is not null)
            {
                metrics["equivariance_error"] = eq / count;
            }
        }
        return metrics;
    }
}

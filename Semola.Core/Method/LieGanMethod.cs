using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// LieGAN (<c>liegan</c>): discovery epochs train unit-norm generators (Gaussian coefficients) against a discriminator
/// of real and transformed (x, y) pairs, with |mean cos(g.x, x)|, L1 and channel-correlation penalties; the model then
/// trains on data augmented with the frozen discovered directions, each over the data-free range
/// [-pi / ||Lhat_i||_2, pi / ||Lhat_i||_2] (a full turn for a rotation; no ground truth is read). For classification the
/// discriminator sees the class beside the input (a one-hot code into its first layer, i.e. a learned label embedding), so
/// it judges whether g.x still looks like an example of its class, as LieGAN's conditional discriminator does.
/// </summary>
public sealed class LieGanMethod : AugmentationMethod
{
    private LieAugmenter _augmenter = null!;
    private Optimizer _augmenterOptimizer = null!;
    private Discriminator _discriminator = null!;
    private Optimizer _discriminatorOptimizer = null!;
    private MethodOptions _options = null!;
    private int _discoveryEpochs;
    private int _classes;

    /// <inheritdoc />
    public override string Name => "liegan";

    /// <inheritdoc />
    public override LieAugmenter? Augmenter => _augmenter;

    /// <inheritdoc />
    public override int DiscoveryEpochs => _discoveryEpochs;

    /// <summary>The discriminator of the discovery phase.</summary>
    public Discriminator Discriminator => _discriminator;

    /// <inheritdoc />
    public override IReadOnlyList<float> Extents() => [];

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetupModel(context);
        _options = context.Methods;
        _discoveryEpochs = _options.DiscoveryEpochs;
        _augmenter = new LieAugmenter(context.Space, _options.Semola.Generators, context.InitSeed(1), 1f);
        _augmenterOptimizer = context.Register("augmenter", _augmenter, _options.GeneratorLearningRate, scheduled: true,
            (m, lr) => new Adam([((LieAugmenter)m).Weight], lr, beta1: 0.5f, beta2: 0.999f));
        var train = context.Task.Train;
        _classes = context.Task.Kind == TaskKind.Classification ? context.Task.Classes : 0;
        _discriminator = new Discriminator(train.SampleSize + train.TargetSize + _classes, _options.LieGanDiscriminatorWidth, context.InitRandom(2));
        _discriminatorOptimizer = context.Register("discriminator", _discriminator, _options.LieGanDiscriminatorLearningRate, scheduled: false, Discriminator.CreateOptimizer);
    }

    /// <summary>What the discriminator sees: the flattened input with the regression target, or with the one-hot class.</summary>
    private Tensor PairInput(Tensor x, Tensor? y, int[]? labels)
    {
        int b = x.Shape[0];
        var flat = x.Reshape(b, -1);
        if (y is not null)
        {
            return Tensor.Concat([flat, y.Reshape(b, -1)], 1);
        }
        if (labels is null || _classes == 0)
        {
            return flat;
        }
        var code = new float[b * _classes];
        for (int i = 0; i < b; i++)
        {
            code[i * _classes + labels[i]] = 1f;
        }
        return Tensor.Concat([flat, Tensor.FromArray(code, [b, _classes], x.Device)], 1);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> DiscoveryStep(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(step);
        var g = AugerinoPlusMethod.Gaussian(_augmenter, batch.Size, _options.Sigma, step.Rng, Device).G;
        var gx = Task.InputAction.Apply(g, batch.X);
        var gy = batch.Y is null ? null : Task.OutputAction.Apply(g, batch.Y);
        var disc = _discriminator.TrainStep(PairInput(batch.X, batch.Y, batch.Labels), PairInput(gx, gy, batch.Labels), _discriminatorOptimizer);
        var adversarial = Discriminator.BceReal(_discriminator.Forward(PairInput(gx, gy, batch.Labels)));
        var cos = AbsMeanCosine(gx, batch.X);
        var reg = GeneratorRegulariser(_augmenter, _options.Mu, _options.Eta);
        var total = adversarial.Add(cos.Mul(_options.LambdaCos)).Add(reg);
        _augmenterOptimizer.Step(total.Backward());
        return new Dictionary<string, Tensor> { ["total"] = total, ["gen"] = adversarial, ["cos"] = cos, ["reg"] = reg, ["disc"] = disc };
    }

    private GroupSample Frozen(int count, Random rng)
    {
        using (GradMode.NoGrad())
        {
            var u = Tensor.Uniform([count, _augmenter.K], -1f, 1f, rng, Device);
            return _augmenter.SampleFrom(u, _augmenter.SpectralCaps());
        }
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return AugmentedStep(batch, n => Frozen(n, step.Rng).G);
    }

    /// <inheritdoc />
    public override GroupSample SampleForTestTime(int count, Random rng) => Frozen(count, rng);
}

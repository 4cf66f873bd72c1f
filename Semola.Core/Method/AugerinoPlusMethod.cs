using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// Augerino+ (<c>augerino-plus</c>, LieGAN's variant of Augerino): learned unit-norm generators with Gaussian
/// coefficients z ~ N(0, sigma^2), the task loss on augmented data only, plus lambda |mean cos(g.x, x)|, the
/// generators' L1 norm and their channel correlation.
/// </summary>
public sealed class AugerinoPlusMethod : AugmentationMethod
{
    private LieAugmenter _augmenter = null!;
    private Optimizer _augmenterOptimizer = null!;
    private MethodOptions _options = null!;

    /// <inheritdoc />
    public override string Name => "augerino-plus";

    /// <inheritdoc />
    public override LieAugmenter? Augmenter => _augmenter;

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetupModel(context);
        _options = context.Methods;
        _augmenter = new LieAugmenter(context.Space, _options.Semola.Generators, context.InitSeed(1), 1f);
        _augmenterOptimizer = context.Register("augmenter", _augmenter, _options.GeneratorLearningRate, scheduled: true,
            (m, lr) => new Adam([((LieAugmenter)m).Weight], lr, beta1: 0.5f, beta2: 0.999f));
    }

    /// <inheritdoc />
    public override IReadOnlyList<float> Extents() => [];

    /// <summary>Group elements exp(z Lhat) with z ~ N(0, sigma^2) (gradients reach the directions only).</summary>
    internal static GroupSample Gaussian(LieAugmenter augmenter, int count, float sigma, Random rng, Kernels.Device device) =>
        augmenter.SampleFrom(Tensor.Normal([count, augmenter.K], 0f, 1f, rng, device), sigma);

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(step);
        var repeated = batch.Repeat(Copies);
        var g = Gaussian(_augmenter, repeated.Size, _options.Sigma, step.Rng, Device).G;
        var gx = Task.InputAction.Apply(g, repeated.X);
        var gy = repeated.Y is null ? null : Task.OutputAction.Apply(g, repeated.Y);
        var task = Task.Loss(Model.Forward(gx), repeated, gy);
        var cos = AbsMeanCosine(gx, repeated.X);
        var reg = GeneratorRegulariser(_augmenter, _options.Mu, _options.Eta);
        var total = task.Add(cos.Mul(_options.LambdaCos)).Add(reg);
        var grads = total.Backward();
        ModelOptimizer.Step(grads);
        _augmenterOptimizer.Step(grads);
        return new Dictionary<string, Tensor> { ["total"] = total, ["task_aug"] = task, ["cos"] = cos, ["reg"] = reg };
    }

    /// <inheritdoc />
    public override GroupSample SampleForTestTime(int count, Random rng) => Gaussian(_augmenter, count, _options.Sigma, rng, Device);
}

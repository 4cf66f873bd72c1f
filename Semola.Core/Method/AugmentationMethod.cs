using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// What the methods that train the model on augmented data share: the model and its optimizer, and one step of
/// the task loss on K augmented copies of the batch (g.x with targets rho_Y(g) y) for given group elements.
/// </summary>
public abstract class AugmentationMethod : TrainingMethod
{
    /// <summary>The task.</summary>
    protected SymmetryTask Task { get; private set; } = null!;

    /// <summary>The model's optimizer.</summary>
    protected Optimizer ModelOptimizer { get; private set; } = null!;

    /// <summary>Augmented draws per sample.</summary>
    protected int Copies { get; private set; } = 1;

    /// <summary>The run's device.</summary>
    protected Kernels.Device Device { get; private set; } = Kernels.Device.Cpu;

    /// <inheritdoc />
    public override bool HasTestTimeSampler => true;

    /// <summary>Creates and registers the base model ("model", scheduled); call first from <see cref="TrainingMethod.Setup"/>.</summary>
    protected void SetupModel(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Task = context.Task;
        Copies = context.Methods.Copies;
        Device = context.Device;
        Model = context.Task.CreateModel(context.InitRandom(0));
        ModelOptimizer = context.Register("model", Model, context.Options.LearningRate, scheduled: true);
    }

    /// <summary>The augmented task loss l(f(g.x), rho_Y(g) y) over the copies for elements <paramref name="g"/> [B*K, n, n].</summary>
    protected Tensor AugmentedLoss(Batch repeated, Tensor g)
    {
        ArgumentNullException.ThrowIfNull(repeated);
        var gx = Task.InputAction.Apply(g, repeated.X);
        var gy = repeated.Y is null ? null : Task.OutputAction.Apply(g, repeated.Y);
        return Task.Loss(Model.Forward(gx), repeated, gy);
    }

    /// <summary>One model step on the augmented loss for elements drawn by <paramref name="sample"/> (count -&gt; [count, n, n]).</summary>
    protected Dictionary<string, Tensor> AugmentedStep(Batch batch, Func<int, Tensor> sample)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(sample);
        var repeated = batch.Repeat(Copies);
        var loss = AugmentedLoss(repeated, sample(repeated.Size));
        ModelOptimizer.Step(loss.Backward());
        return Single(loss);
    }

    /// <summary>|mean over the batch of cos(a_b, b_b)| of flattened rows (Augerino+'s and LieGAN's penalty against the identity).</summary>
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

    /// <summary>The generator regularisers of Augerino+ and LieGAN: mu ||Lhat||_1 + eta sum_{i&lt;j} |&lt;Lhat_i, Lhat_j&gt;|.</summary>
    public static Tensor GeneratorRegulariser(LieAugmenter augmenter, float mu, float eta)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        var l1 = augmenter.SparsityPenalty();
        int k = augmenter.K;
        var d = augmenter.Directions().Reshape(k, -1);
        var corr = d.MatMul(d.Transpose()).Abs().Sum().Add(-k).Mul(0.5f);
        return l1.Mul(mu).Add(corr.Mul(eta));
    }
}

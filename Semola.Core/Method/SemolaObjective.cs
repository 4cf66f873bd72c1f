using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;

namespace Semola.Core.Method;

/// <summary>
/// The SEMoLA objective for one batch (docs/method.md):
/// L = l(f(x), y) + l(f(g.x), rho_Y(g) y) + lambda_eq d(f(g.x), rho_Y(g) f(x))
///   + lambda_dist BCE(D(g'.x, rho_Y(g') y), real) - lambda_ext sum_i min(a_i, a_max,i)
///   + lambda_b (sum_{i&lt;j} &lt;Lhat_i, Lhat_j&gt;^2 + beta sum_i ||Lhat_i||_1).
/// Original and augmented inputs go through the model as one batch of (1 + K)B. The cap a_max,i is
/// pi / ||Lhat_i||_2 unless a fixed cap is set (<see cref="SemolaOptions.ExtentCap"/>).
/// </summary>
public sealed class SemolaObjective
{
    /// <summary>Creates the objective.</summary>
    public SemolaObjective(SemolaOptions options, TaskKind task, IGroupAction inputAction, IGroupAction outputAction)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Task = task;
        InputAction = inputAction ?? throw new ArgumentNullException(nameof(inputAction));
        OutputAction = outputAction ?? throw new ArgumentNullException(nameof(outputAction));
    }

    /// <summary>The weights.</summary>
    public SemolaOptions Options { get; }

    /// <summary>Classification or regression.</summary>
    public TaskKind Task { get; }

    /// <summary>rho_X.</summary>
    public IGroupAction InputAction { get; }

    /// <summary>rho_Y (trivial for invariant targets).</summary>
    public IGroupAction OutputAction { get; }

    /// <summary>Samples of the batch the hybrid cap rule measures displacements on.</summary>
    public const int HybridCapSamples = 256;

    /// <summary>The hybrid caps (<see cref="ExtentCapRule.Hybrid"/>) of the augmenter's current directions on a batch's first samples.</summary>
    public static float[] HybridCaps(LieAugmenter augmenter, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(augmenter);
        ArgumentNullException.ThrowIfNull(x);
        int b = x.Shape[0];
        int size = x.Numel / Math.Max(b, 1);
        int used = Math.Min(b, HybridCapSamples);
        float[] host;
        using (GradMode.NoGrad())
        {
            host = x.Reshape(b, size).Narrow(0, 0, used).ToArray();
        }
        return augmenter.DirectionMatrices().Select(d => (float)ExtentCaps.Hybrid(d, host, size)).ToArray();
    }

    /// <summary>The task loss l(prediction, target).</summary>
    public Tensor TaskLoss(Tensor prediction, Batch batch, Tensor? targets = null) => Task == TaskKind.Classification
        ? Losses.CrossEntropy(prediction, batch.Labels ?? throw new ArgumentException("SEMoLA: a classification batch needs labels."))
        : Losses.Mse(prediction, targets ?? batch.Y ?? throw new ArgumentException("SEMoLA: a regression batch needs targets."));

    /// <summary>The equivariance discrepancy d(f(g.x), rho_Y(g) f(x)).</summary>
    public Tensor Discrepancy(Tensor predictionAugmented, Tensor transformedPrediction) => Task == TaskKind.Classification
        ? Losses.KlDivergence(transformedPrediction, predictionAugmented)
        : Losses.Mse(predictionAugmented, transformedPrediction);

    /// <summary>What the discriminator sees of a sample: the input alone (classification) or the flattened (x, y) pair.</summary>
    public Tensor DiscriminatorInput(Tensor x, Tensor? y)
    {
        int b = x.Shape[0];
        var flat = x.Reshape(b, -1);
        return Task == TaskKind.Classification || y is null ? flat : Tensor.Concat([flat, y.Reshape(b, -1)], 1);
    }

    /// <summary>
    /// Evaluates every term for one batch. With <paramref name="copies"/> K &gt; 1 every sample is augmented K
    /// times (K independent draws), as in the paper; the original batch goes through the model once.
    /// </summary>
    public SemolaLossTerms Compute(Module model, LieAugmenter augmenter, Discriminator? discriminator, Batch batch, int copies = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(augmenter);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        int b = batch.Size;
        var repeated = batch.Repeat(copies);
        var sample = augmenter.Sample(b * copies);
        var gx = InputAction.Apply(sample.G, repeated.X);
        var both = model.Forward(Tensor.Concat([batch.X, gx], 0));
        var fx = both.Narrow(0, 0, b);
        var fgx = both.Narrow(0, b, b * copies);

        Tensor? gy = Task == TaskKind.Regression ? OutputAction.Apply(sample.G, repeated.Y!) : null;
        var taskOriginal = TaskLoss(fx, batch);
        var taskAugmented = TaskLoss(fgx, repeated, gy);
        var fxRepeated = copies == 1 ? fx : Tensor.Concat(Enumerable.Repeat(fx, copies).ToArray(), 0);
        var transformedPrediction = Task == TaskKind.Regression ? OutputAction.Apply(sample.G, fxRepeated) : fxRepeated;
        var equivariance = Discrepancy(fgx, transformedPrediction);

        // The distribution term: do transformed pairs still look real? It reaches only the augmenter.
        Tensor probeX = gx;
        Tensor? probeY = gy;
        if (Options.ProbeExtent is float probe)
        {
            var probeSample = augmenter.Sample(b, probe);
            probeX = InputAction.Apply(probeSample.G, batch.X);
            probeY = Task == TaskKind.Regression ? OutputAction.Apply(probeSample.G, batch.Y!) : null;
        }
        var distribution = discriminator is not null && Options.LambdaDist > 0f
            ? Discriminator.BceReal(discriminator.Forward(DiscriminatorInput(probeX, probeY)))
            : Tensor.Scalar(0f, batch.X.Device);

        var extent = Options.ExtentCap is float cap ? augmenter.ExtentReward(cap)
            : augmenter.ExtentReward(Options.CapRule == ExtentCapRule.Hybrid ? HybridCaps(augmenter, batch.X) : augmenter.SpectralCaps());
        var orth = augmenter.OrthogonalityPenalty();
        var sparsity = augmenter.SparsityPenalty();

        var total = taskOriginal.Add(taskAugmented)
            .Add(equivariance.Mul(Options.LambdaEq))
            .Add(distribution.Mul(Options.LambdaDist))
            .Sub(extent.Mul(Options.LambdaExt))
            .Add(orth.Add(sparsity.Mul(Options.Beta)).Mul(Options.LambdaBasis));
        return new SemolaLossTerms(total, taskOriginal, taskAugmented, equivariance, distribution, extent, orth, sparsity, gx, gy, probeX, probeY);
    }
}

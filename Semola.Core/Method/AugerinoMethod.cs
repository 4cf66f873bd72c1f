using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// Augerino (<c>augerino</c>, Benton et al.): fixed generators (the task's Augerino basis, e.g. the six affine image
/// generators) with learned widths, trained on the augmented task loss minus reg * ||w||; predictions average
/// several augmented copies at test time (--tta; 4 unless set).
/// </summary>
public sealed class AugerinoMethod : AugmentationMethod
{
    private AugerinoAugmenter _augmenter = null!;
    private Optimizer _augmenterOptimizer = null!;
    private float _reward;

    /// <inheritdoc />
    public override string Name => "augerino";

    /// <summary>The learned widths' module.</summary>
    public AugerinoAugmenter Widths => _augmenter;

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SetupModel(context);
        _reward = context.Methods.AugerinoReward;
        _augmenter = new AugerinoAugmenter(context.Task.AugerinoBasis(context.Space));
        _augmenterOptimizer = context.Register("augmenter", _augmenter, context.Methods.AugerinoLearningRate, scheduled: true);
    }

    /// <inheritdoc />
    public override IReadOnlyList<float> Extents() => _augmenter.WidthValues();

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(step);
        var repeated = batch.Repeat(Copies);
        var task = AugmentedLoss(repeated, _augmenter.Sample(repeated.Size, step.Rng).G);
        var width = _augmenter.Widths().Square().Sum().Sqrt();
        var total = task.Sub(width.Mul(_reward));
        var grads = total.Backward();
        ModelOptimizer.Step(grads);
        _augmenterOptimizer.Step(grads);
        return new Dictionary<string, Tensor> { ["total"] = total, ["task_aug"] = task, ["width"] = width };
    }

    /// <inheritdoc />
    public override GroupSample SampleForTestTime(int count, Random rng) => _augmenter.Sample(count, rng);
}

using Semola.Autodiff;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// Ground-truth augmentation (<c>gt-aug</c>), an oracle reference: the base model on data augmented with the known
/// symmetry over its full range, a new draw every step.
/// </summary>
public sealed class GtAugMethod : AugmentationMethod
{
    private GroundTruthGroup _group = null!;

    /// <inheritdoc />
    public override string Name => "gt-aug";

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _group = context.Task.GroundTruth ?? throw new ArgumentException($"gt-aug needs a known symmetry, and {context.Task.Name} has none.");
        SetupModel(context);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return AugmentedStep(batch, n => _group.Sample(n, step.Rng, Device));
    }

    /// <inheritdoc />
    public override GroupSample SampleForTestTime(int count, Random rng) => _group.SampleWithInverse(count, rng, Device);
}

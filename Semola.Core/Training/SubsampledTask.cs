using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;

namespace Semola.Core.Training;

/// <summary>A task with a fraction of another task's training split (the sample-efficiency study); everything else is the inner task's.</summary>
public sealed class SubsampledTask : SymmetryTask
{
    private readonly SymmetryTask _inner;

    /// <summary>Keeps <paramref name="fraction"/> of <paramref name="inner"/>'s training samples (class shares kept for labelled data), seeded.</summary>
    public SubsampledTask(SymmetryTask inner, double fraction, int seed)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).Train.Fraction(fraction, seed), inner.Validation, inner.Test)
    {
        _inner = inner;
    }

    /// <inheritdoc />
    public override string Name => _inner.Name;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, SampleSet> ExtraTestSets => _inner.ExtraTestSets;

    /// <inheritdoc />
    public override int Classes => _inner.Classes;

    /// <inheritdoc />
    public override IGroupAction InputAction => _inner.InputAction;

    /// <inheritdoc />
    public override IGroupAction OutputAction => _inner.OutputAction;

    /// <inheritdoc />
    public override int GroupDimension => _inner.GroupDimension;

    /// <inheritdoc />
    public override SearchSpace DefaultSpace => _inner.DefaultSpace;

    /// <inheritdoc />
    public override GroundTruthGroup? GroundTruth => _inner.GroundTruth;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, IReadOnlyList<double[,]>> ReferenceBases => _inner.ReferenceBases;

    /// <inheritdoc />
    public override double TargetScale => _inner.TargetScale;

    /// <inheritdoc />
    public override Module CreateModel(Random rng) => _inner.CreateModel(rng);

    /// <inheritdoc />
    public override Module CreateEquivariantModel(Random rng) => _inner.CreateEquivariantModel(rng);

    /// <inheritdoc />
    public override IReadOnlyList<double[,]> AugerinoBasis(SearchSpace space) => _inner.AugerinoBasis(space);
}

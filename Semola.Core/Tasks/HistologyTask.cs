using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// Colorectal histology (CRC): RGB tissue patches classified by the base CNN with three input channels; the group acts
/// on images by affine resampling. The real data is PathMNIST's .npz (its own train / validation / test splits); the
/// generated default is rotated and mirrored synthetic textures (<see cref="SyntheticTextures"/>), split with the
/// class proportions kept. The true symmetry is rotation (and reflection, which no connected group contains).
/// </summary>
public sealed class HistologyTask : SymmetryTask
{
    private static readonly IGroupAction Action = new ImageAffineAction();

    private HistologyTask(ImageSplits splits, int classes)
        : base(SampleSet.FromImages(splits.Train), SampleSet.FromImages(splits.Validation), SampleSet.FromImages(splits.Test)) => Classes = classes;

    /// <summary>PathMNIST from its .npz file (at most <paramref name="maxPerSplit"/> images per split; 0 for all).</summary>
    public static HistologyTask FromNpz(string path, int maxPerSplit) =>
        new(MedMnistNpz.Load(path, MedMnistNpz.PathMnistClasses, maxPerSplit), MedMnistNpz.PathMnistClasses);

    /// <summary>Generated textures: <paramref name="train"/> training patches (of which a fraction validates) and <paramref name="test"/> test patches.</summary>
    public static HistologyTask Synthetic(int train, int test, int size, int seed, double validationFraction)
    {
        var all = SyntheticTextures.Generate(train + test, seed, size);
        double testFraction = (double)test / (train + test);
        var splits = StratifiedSplit.Split(all, (1 - testFraction) * (1 - validationFraction), (1 - testFraction) * validationFraction, seed);
        return new HistologyTask(splits, SyntheticTextures.ClassNames.Count);
    }

    /// <inheritdoc />
    public override string Name => "crc";

    /// <inheritdoc />
    public override int Classes { get; }

    /// <inheritdoc />
    public override IGroupAction InputAction => Action;

    /// <inheritdoc />
    public override int GroupDimension => 3;

    /// <inheritdoc />
    public override SearchSpace DefaultSpace => SearchSpace.Affine2D();

    /// <inheritdoc />
    public override GroundTruthGroup GroundTruth { get; } = new(LieAlgebraBases.ImageRotation(), MathF.PI);

    /// <inheritdoc />
    public override Module CreateModel(Random rng) => BaseCnn.Build(rng, Train.SampleShape[0], Classes);

    /// <inheritdoc />
    public override Module CreateEquivariantModel(Random rng) => P4Cnn.Build(rng, Train.SampleShape[0], Classes);

    /// <inheritdoc />
    public override IReadOnlyList<double[,]> AugerinoBasis(SearchSpace space) => RotatedMnistTask.AugerinoAffineBasis();
}

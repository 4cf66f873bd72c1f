using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// RotatedMNIST: digits, each rotated once by a seeded angle (full turn, or +-45 degrees for training in the OOD
/// variant), classified by the base CNN; the group acts on images by affine resampling; the true symmetry is rotation.
/// The validation split is a seeded fraction of the (rotated) training digits.
/// </summary>
public sealed class RotatedMnistTask : SymmetryTask
{
    private static readonly IGroupAction Action = new ImageAffineAction();

    private RotatedMnistTask(SampleSet train, SampleSet validation, SampleSet test, int classes)
        : base(train, validation, test) => Classes = classes;

    /// <summary>Builds the splits: <paramref name="trainSize"/> training digits (of which a fraction validates) and <paramref name="testSize"/> test digits.</summary>
    public static RotatedMnistTask Build(ImageDataSet digits, int trainSize, int testSize, RotationVariant variant, int seed, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var split = RotatedMnist.Build(digits, trainSize, testSize, variant, seed);
        var (train, validation) = Splits.CarveValidation(split.Train.Count, validationFraction, seed);
        return new RotatedMnistTask(
            SampleSet.FromImages(split.Train.Subset(train)),
            SampleSet.FromImages(split.Train.Subset(validation)),
            SampleSet.FromImages(split.Test),
            Math.Max(10, digits.Labels.Max() + 1));
    }

    /// <summary>A task over given (already rotated) splits, e.g. for tests and benchmarks.</summary>
    public static RotatedMnistTask FromSplits(ImageDataSet train, ImageDataSet validation, ImageDataSet test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        return new RotatedMnistTask(SampleSet.FromImages(train), SampleSet.FromImages(validation), SampleSet.FromImages(test), Math.Max(10, train.Labels.Max() + 1));
    }

    /// <inheritdoc />
    public override string Name => "rotmnist";

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

    /// <summary>Augerino's six affine generators: translations x and y (scaled by 0.1), rotation, scaling, stretch, shear.</summary>
    public override IReadOnlyList<double[,]> AugerinoBasis(SearchSpace space)
    {
        var basis = LieAlgebraBases.ImageAffine();
        foreach (var t in basis.Take(2))
        {
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 3; c++)
                {
                    t[r, c] *= 0.1;
                }
            }
        }
        return basis;
    }
}

using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// What the image classification tasks share: the base CNN (the p4 group CNN as the hard-equivariant reference), the
/// affine action on images (3x3 homogeneous matrices, affine2d search space), rotation as the true symmetry and
/// Augerino's six affine generators.
/// </summary>
public abstract class ImageClassificationTask : SymmetryTask
{
    private static readonly IGroupAction Action = new ImageAffineAction();

    /// <summary>Creates the task from its image splits.</summary>
    protected ImageClassificationTask(ImageDataSet train, ImageDataSet validation, ImageDataSet test, int classes)
        : base(SampleSet.FromImages(train), SampleSet.FromImages(validation), SampleSet.FromImages(test)) => Classes = classes;

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

    /// <summary>The hard-equivariant reference (an oracle): the p4 group CNN, exactly invariant to quarter turns, of about the base CNN's size.</summary>
    public override Module CreateEquivariantModel(Random rng) => P4Cnn.Build(rng, Train.SampleShape[0], Classes);

    /// <inheritdoc />
    public override IReadOnlyList<double[,]> AugerinoBasis(SearchSpace space) => AugerinoAffineBasis();

    /// <summary>Augerino's six affine image generators: translations x and y (scaled by 0.1), rotation, scaling, stretch, shear.</summary>
    public static IReadOnlyList<double[,]> AugerinoAffineBasis()
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

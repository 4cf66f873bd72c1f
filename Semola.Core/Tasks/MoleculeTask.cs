using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// Molecular property regression (QM9 HOMO / LUMO / gap, or generated molecules): each molecule is a zero-padded point
/// set of [x, y, z, one-hot type (H, C, N, O, F), mask] per atom, its target one invariant property, standardised by
/// the training mean and deviation (MAE is reported in meV). The group acts by 4x4 homogeneous matrices on the atom
/// positions; the true symmetry is SE(3), or SO(3) for centred molecules.
/// </summary>
public sealed class MoleculeTask : SymmetryTask
{
    private static readonly IGroupAction Action = new PaddedPointSetAction();
    private static readonly IGroupAction Trivial = new TrivialAction();
    private readonly int _hidden;
    private readonly double _scale;
    private readonly bool _centred;

    private MoleculeTask(SampleSet train, SampleSet validation, SampleSet test, int hidden, double scale, bool centred)
        : base(train, validation, test)
    {
        _hidden = hidden;
        _scale = scale;
        _centred = centred;
        var so3 = Embedded(LieAlgebraBases.So3());
        var se3 = LieAlgebraBases.Se3();
        // Rotations over a full turn; translations (uncentred data only) over +-2 Angstrom.
        GroundTruth = centred
            ? new GroundTruthGroup(so3, [MathF.PI, MathF.PI, MathF.PI])
            : new GroundTruthGroup(se3, [MathF.PI, MathF.PI, MathF.PI, 2f, 2f, 2f]);
        ReferenceBases = new Dictionary<string, IReadOnlyList<double[,]>> { ["so3"] = so3, ["se3"] = se3 };
    }

    /// <summary>Builds the task from the three molecule splits, for target <paramref name="target"/> (homo, lumo or gap).</summary>
    public static MoleculeTask Build(MoleculeSplit split, string target, bool centred, int hidden)
    {
        ArgumentNullException.ThrowIfNull(split);
        var (train, validation, test) = centred ? (split.Train.Centered(), split.Validation.Centered(), split.Test.Centered()) : (split.Train, split.Validation, split.Test);
        int atoms = new[] { train, validation, test }.Max(s => s.MaxAtoms);
        var column = train.TargetColumn(target);
        double mean = column.Average(v => (double)v);
        double sd = Math.Sqrt(column.Average(v => (v - mean) * (v - mean)));
        if (!(sd > 0))
        {
            sd = 1;
        }
        SampleSet Samples(MoleculeDataSet set)
        {
            var batch = set.Batch(Enumerable.Range(0, set.Count).ToArray(), atoms);
            const int F = 3 + MoleculeDataSet.NumTypes + 1;
            var x = new float[set.Count * atoms * F];
            for (int p = 0; p < set.Count * atoms; p++)
            {
                for (int k = 0; k < 3; k++)
                {
                    x[p * F + k] = batch.Positions[p * 3 + k];
                }
                for (int k = 0; k < MoleculeDataSet.NumTypes; k++)
                {
                    x[p * F + 3 + k] = batch.TypesOneHot[p * MoleculeDataSet.NumTypes + k];
                }
                x[p * F + F - 1] = batch.Mask[p];
            }
            var y = set.TargetColumn(target).Select(v => (float)((v - mean) / sd)).ToArray();
            return new SampleSet(x, [atoms, F], null, y, [1]);
        }
        return new MoleculeTask(Samples(train), Samples(validation), Samples(test), hidden, sd, centred);
    }

    private static double[][,] Embedded(double[][,] basis) => basis.Select(m =>
    {
        var e = new double[4, 4];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                e[i, j] = m[i, j];
            }
        }
        return e;
    }).ToArray();

    /// <inheritdoc />
    public override string Name => "qm9";

    /// <inheritdoc />
    public override IGroupAction InputAction => Action;

    /// <summary>The target is invariant.</summary>
    public override IGroupAction OutputAction => Trivial;

    /// <inheritdoc />
    public override int GroupDimension => 4;

    /// <summary>affine3d (the top 3x4 block) for raw positions; linear3d (the top-left 3x3 block) for centred molecules.</summary>
    public override SearchSpace DefaultSpace => _centred ? SearchSpace.Linear3D() : SearchSpace.Affine3D();

    /// <inheritdoc />
    public override GroundTruthGroup GroundTruth { get; }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, IReadOnlyList<double[,]>> ReferenceBases { get; }

    /// <summary>The training targets' standard deviation in meV (standardised errors times it are meV).</summary>
    public override double TargetScale => _scale;

    /// <inheritdoc />
    public override Module CreateModel(Random rng) => new PointSetNet(Train.SampleShape[1], _hidden, 1, rng);
}

using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Core.Tasks;

/// <summary>
/// N-body dynamics: windows of states to the following states, predicted by an MLP; the group acts on every (x, y)
/// pair of every state alike, on inputs and targets; the true symmetry is the rotation of the plane. The validation
/// split is a seeded fraction of the training trajectories (whole trajectories, so no window leaks across).
/// </summary>
public sealed class NBodyTask : SymmetryTask
{
    private static readonly IGroupAction Action = new VectorAction();
    private readonly int _hidden;
    private readonly int _inputSteps;
    private readonly int _stateSize;
    private readonly Dictionary<string, SampleSet> _extra = [];

    private NBodyTask(SampleSet train, SampleSet validation, SampleSet test, int bodies, int hidden, int inputSteps)
        : base(train, validation, test)
    {
        Bodies = bodies;
        _hidden = hidden;
        _inputSteps = inputSteps;
        _stateSize = 4 * bodies;
        GroundTruth = new GroundTruthGroup(LieAlgebraBases.NBodyRotation(bodies), MathF.PI);
    }

    /// <summary>Builds the task from trajectories; <paramref name="testId"/> (optional) is reported as the extra test set "id".</summary>
    public static NBodyTask Build(NBodyTrajectories train, NBodyTrajectories test, NBodyTrajectories? testId, int inputSteps, int outputSteps, int hidden, int seed, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        if (test.StateSize != train.StateSize || (testId is not null && testId.StateSize != train.StateSize))
        {
            throw new ArgumentException($"N-body: the test trajectories' states ({test.StateSize} values) do not match the training states ({train.StateSize}).");
        }
        if (train.StateSize % 4 != 0)
        {
            throw new ArgumentException($"N-body: a state has 4 values per body, got {train.StateSize}.");
        }
        var (trainIdx, valIdx) = Splits.CarveValidation(train.Count, validationFraction, seed);
        SampleSet Windows(NBodyTrajectories t) => SampleSet.FromWindows(NBodyWindows.Build(t, inputSteps, outputSteps));
        var task = new NBodyTask(Windows(train.Subset(trainIdx)), Windows(train.Subset(valIdx)), Windows(test), train.Bodies, hidden, inputSteps);
        if (testId is not null)
        {
            task._extra["id"] = Windows(testId);
        }
        return task;
    }

    /// <summary>Number of bodies.</summary>
    public int Bodies { get; }

    /// <inheritdoc />
    public override string Name => "nbody";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, SampleSet> ExtraTestSets => _extra;

    /// <inheritdoc />
    public override IGroupAction InputAction => Action;

    /// <inheritdoc />
    public override int GroupDimension => _stateSize;

    /// <inheritdoc />
    public override SearchSpace DefaultSpace => SearchSpace.SharedBlocks2x2(_stateSize / 2);

    /// <inheritdoc />
    public override GroundTruthGroup GroundTruth { get; }

    /// <inheritdoc />
    public override Module CreateModel(Random rng) => new Mlp([Train.SampleSize, _hidden, _hidden, Train.TargetSize], rng);

    /// <summary>Canonicalise by body 1's angle, apply the MLP, rotate back: exactly SO(2)-equivariant (an oracle reference).</summary>
    public override Module CreateEquivariantModel(Random rng) => new NBodyCanonicalModel(CreateModel(rng), _inputSteps, _stateSize);
}

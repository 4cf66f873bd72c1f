using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Training;

namespace Semola.Core.Method;

/// <summary>
/// The base model trained on the data as it is (<c>base</c>), or the task's hard-equivariant reference model trained
/// the same way (<c>equivariant</c>, an oracle: its architecture is built from the known symmetry).
/// </summary>
public sealed class BaseMethod : TrainingMethod
{
    private readonly bool _equivariant;
    private SymmetryTask _task = null!;
    private Optimizer _optimizer = null!;

    /// <summary>Creates the method; <paramref name="equivariant"/> selects the task's hard-equivariant model.</summary>
    public BaseMethod(bool equivariant = false) => _equivariant = equivariant;

    /// <inheritdoc />
    public override string Name => _equivariant ? "equivariant" : "base";

    /// <inheritdoc />
    public override void Setup(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _task = context.Task;
        var rng = context.InitRandom(0);
        Model = _equivariant ? context.Task.CreateEquivariantModel(rng) : context.Task.CreateModel(rng);
        _optimizer = context.Register("model", Model, context.Options.LearningRate, scheduled: true);
    }

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, Tensor> Step(Batch batch, StepContext step)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var loss = _task.Loss(Model.Forward(batch.X), batch);
        _optimizer.Step(loss.Backward());
        return Single(loss);
    }
}

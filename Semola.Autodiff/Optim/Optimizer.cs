using Semola.Kernels;

namespace Semola.Autodiff.Optim;

/// <summary>
/// Updates a fixed list of parameters in place from the <see cref="Gradients"/> of a backward pass.
/// Each parameter is updated by one fused backend kernel; parameters without a gradient are skipped.
/// State tensors (moments, momentum) live outside tensor scopes.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] _parameters;
    private readonly long[] _parameterSteps;

    /// <summary>Checks and stores the parameters.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i] ?? throw new ArgumentException($"{GetType().Name}: parameter {i} is null.");
            if (!p.IsLeaf || !p.RequiresGrad || !p.IsContiguous)
            {
                throw new ArgumentException($"{GetType().Name}: parameter {i} ({p.Name ?? p.ShapeString}) must be a contiguous leaf tensor that requires a gradient.");
            }
            if (Array.IndexOf(_parameters, p) != i)
            {
                throw new ArgumentException($"{GetType().Name}: parameter {i} ({p.Name ?? p.ShapeString}) is listed twice.");
            }
        }
        _parameterSteps = new long[_parameters.Length];
        LearningRate = learningRate;
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<Tensor> Parameters => _parameters;

    /// <summary>The learning rate of the next step (set it from a schedule).</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Per parameter, the number of updates it has received.</summary>
    public IReadOnlyList<long> ParameterSteps => _parameterSteps;

    /// <summary>Applies one update to every parameter that has a gradient in <paramref name="gradients"/>.</summary>
    public void Step(Gradients gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        using (GradMode.NoGrad())
        {
            for (int i = 0; i < _parameters.Length; i++)
            {
                var p = _parameters[i];
                var g = gradients.Get(p);
                if (g is null)
                {
                    continue;
                }
                if (!g.Shape.SequenceEqual(p.Shape))
                {
                    throw new ArgumentException($"{GetType().Name}: gradient {g.ShapeString} does not match parameter {i} ({p.Name ?? p.ShapeString}) of shape {p.ShapeString}.");
                }
                var contiguous = g.IsContiguous ? g : g.Contiguous();
                _parameterSteps[i]++;
                Update(i, p, contiguous.Buffer, contiguous.Offset, _parameterSteps[i]);
                if (!ReferenceEquals(contiguous, g))
                {
                    contiguous.Buffer.Dispose();
                }
            }
        }
        StepCount++;
    }

    /// <summary>
    /// Updates parameter <paramref name="index"/> in place from a contiguous gradient at
    /// <paramref name="gradOffset"/> of <paramref name="grad"/>; <paramref name="step"/> counts this
    /// parameter's updates from 1.
    /// </summary>
    protected abstract void Update(int index, Tensor parameter, DeviceBuffer grad, int gradOffset, long step);

    /// <summary>The state tensors, named "index.kind" (e.g. "3.exp_avg"), for checkpoints.</summary>
    public abstract IReadOnlyList<KeyValuePair<string, Tensor>> NamedState();

    /// <summary>Restores the step counters (used when loading a checkpoint).</summary>
    internal void RestoreCounters(long stepCount, long[] parameterSteps)
    {
        if (parameterSteps.Length != _parameterSteps.Length)
        {
            throw new ArgumentException($"{GetType().Name}: {parameterSteps.Length} step counters for {_parameterSteps.Length} parameters.");
        }
        StepCount = stepCount;
        parameterSteps.CopyTo(_parameterSteps, 0);
    }

    /// <summary>A zero-filled state tensor shaped like <paramref name="parameter"/>, outside any scope.</summary>
    protected static Tensor ZerosLike(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        using (TensorScope.Suspend())
        {
            return Tensor.Zeros([.. parameter.Shape], parameter.Device);
        }
    }

    /// <summary>The backend of <paramref name="parameter"/>.</summary>
    protected static Backend BackendOf(Tensor parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Device.Backend;
    }
}

using System.Globalization;
using Semola.Kernels;

namespace Semola.Autodiff.Optim;

/// <summary>
/// Stochastic gradient descent with optional momentum (heavy-ball or Nesterov), dampening and L2
/// weight decay: g = grad + wd * p; buf = g (first update) or momentum * buf + (1 - dampening) * g;
/// p -= lr * (nesterov ? g + momentum * buf : buf).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _momentum;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (momentum < 0f || weightDecay < 0f)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "Sgd: momentum and weight decay must be non-negative.");
        }
        if (nesterov && (momentum <= 0f || dampening != 0f))
        {
            throw new ArgumentException("Sgd: Nesterov momentum needs a positive momentum and zero dampening.");
        }
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _momentum = Parameters.Select(p => momentum != 0f ? ZerosLike(p) : null).ToArray();
    }

    /// <summary>Momentum factor (0 = plain SGD).</summary>
    public float Momentum { get; }

    /// <summary>Dampening of the momentum update.</summary>
    public float Dampening { get; }

    /// <summary>L2 weight decay added to the gradient.</summary>
    public float WeightDecay { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(int index, Tensor parameter, DeviceBuffer grad, int gradOffset, long step) =>
        BackendOf(parameter).SgdStep(parameter.Buffer, parameter.Offset, grad, gradOffset, _momentum[index]?.Buffer, parameter.Numel,
            LearningRate, Momentum, Dampening, WeightDecay, Nesterov, step == 1);

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, Tensor>> NamedState()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < _momentum.Length; i++)
        {
            if (_momentum[i] is { } m)
            {
                result.Add(new(i.ToString(CultureInfo.InvariantCulture) + ".momentum_buffer", m));
            }
        }
        return result;
    }
}

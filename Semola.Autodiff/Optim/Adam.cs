using System.Globalization;
using Semola.Kernels;

namespace Semola.Autodiff.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2015) with L2 weight decay added to the gradient: m = b1 m + (1 - b1) g,
/// v = b2 v + (1 - b2) g^2, p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps), where t counts
/// the parameter's updates. <see cref="AdamW"/> decouples the decay instead.
/// </summary>
public class Adam : Optimizer
{
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates the optimizer with coupled (L2) or decoupled weight decay.</summary>
    protected Adam(IEnumerable<Tensor> parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        if (!(beta1 >= 0f && beta1 < 1f) || !(beta2 >= 0f && beta2 < 1f) || !(eps >= 0f) || !(weightDecay >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), $"{GetType().Name}: betas must be in [0, 1), eps and weight decay non-negative (got {beta1}, {beta2}, {eps}, {weightDecay}).");
        }
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        _m = Parameters.Select(ZerosLike).ToArray();
        _v = Parameters.Select(ZerosLike).ToArray();
    }

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator.</summary>
    public float Eps { get; }

    /// <summary>Weight decay (L2 for Adam, decoupled for AdamW).</summary>
    public float WeightDecay { get; }

    /// <summary>True when the weight decay is decoupled from the gradient (AdamW).</summary>
    public bool Decoupled { get; }

    /// <inheritdoc />
    protected override void Update(int index, Tensor parameter, DeviceBuffer grad, int gradOffset, long step) =>
        BackendOf(parameter).AdamStep(parameter.Buffer, parameter.Offset, grad, gradOffset, _m[index].Buffer, _v[index].Buffer, parameter.Numel,
            LearningRate, Beta1, Beta2, Eps, WeightDecay, (int)Math.Min(step, int.MaxValue), Decoupled);

    /// <inheritdoc />
    public override IReadOnlyList<KeyValuePair<string, Tensor>> NamedState()
    {
        var result = new List<KeyValuePair<string, Tensor>>();
        for (int i = 0; i < _m.Length; i++)
        {
            string prefix = i.ToString(CultureInfo.InvariantCulture);
            result.Add(new(prefix + ".exp_avg", _m[i]));
            result.Add(new(prefix + ".exp_avg_sq", _v[i]));
        }
        return result;
    }
}

namespace Semola.Autodiff.Optim;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019): each update first multiplies the
/// parameter by (1 - lr * weightDecay), then applies the Adam step to the raw gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer (weight decay 0.01 by default).</summary>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float eps = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true)
    {
    }
}

using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;

namespace Semola.Core.Method;

/// <summary>
/// The distribution term's judge: an MLP (input -> width -> width -> 1, LeakyReLU 0.2) that tells real
/// samples from transformed ones, trained alongside by an optimizer its owner provides (the training core
/// gives it Adam with betas 0.5, 0.999; see <see cref="CreateOptimizer"/>). Its input is a flattened sample
/// (the image, or the (x, y) pair for regression).
/// </summary>
public sealed class Discriminator : Module
{
    private readonly Mlp _net;

    /// <summary>Creates the network.</summary>
    public Discriminator(int inputSize, int width, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        _net = RegisterModule("net", new Mlp([inputSize, width, width, 1], rng, () => new LeakyReLU(0.2f)));
        InputSize = inputSize;
    }

    /// <summary>Length of a flattened input.</summary>
    public int InputSize { get; }

    /// <summary>The optimizer discriminators use: Adam with betas (0.5, 0.999), over <paramref name="module"/>'s parameters where they live now.</summary>
    public static Adam CreateOptimizer(Module module, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(module);
        return new Adam(module.Parameters(), learningRate, beta1: 0.5f, beta2: 0.999f);
    }

    /// <summary>Logits [B] that the samples [B, ...] are real.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int b = input.Shape[0];
        if (input.Numel != b * InputSize)
        {
            throw new ArgumentException($"Discriminator: input {input.ShapeString} does not flatten to [{b}, {InputSize}].");
        }
        return _net.Forward(input.Reshape(b, InputSize)).Reshape(b);
    }

    /// <summary>Binary cross-entropy of logits against "real" (1): mean softplus(-logit).</summary>
    public static Tensor BceReal(Tensor logits) => logits.Neg().Softplus().Mean();

    /// <summary>Binary cross-entropy of logits against "transformed" (0): mean softplus(logit).</summary>
    public static Tensor BceFake(Tensor logits) => logits.Softplus().Mean();

    /// <summary>One training step on real and transformed samples (the latter are detached); returns the loss (a scalar tensor, not read back).</summary>
    public Tensor TrainStep(Tensor real, Tensor transformed, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(transformed);
        ArgumentNullException.ThrowIfNull(optimizer);
        var loss = BceReal(Forward(real.Detach())).Add(BceFake(Forward(transformed.Detach())));
        var grads = loss.Backward();
        optimizer.Step(grads);
        return loss.Detach();
    }
}

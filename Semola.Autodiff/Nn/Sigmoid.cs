namespace Semola.Autodiff.Nn;

/// <summary>Applies 1 / (1 + exp(-x)) (no parameters).</summary>
public sealed class Sigmoid : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Sigmoid();
    }
}

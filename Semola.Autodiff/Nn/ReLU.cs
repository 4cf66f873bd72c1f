namespace Semola.Autodiff.Nn;

/// <summary>Applies max(x, 0) (no parameters).</summary>
public sealed class ReLU : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Relu();
    }
}

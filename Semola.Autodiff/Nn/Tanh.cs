namespace Semola.Autodiff.Nn;

/// <summary>Applies tanh(x) (no parameters).</summary>
public sealed class Tanh : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Tanh();
    }
}

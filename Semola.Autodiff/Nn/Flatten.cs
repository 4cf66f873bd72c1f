namespace Semola.Autodiff.Nn;

/// <summary>Flattens every dimension from <see cref="StartAxis"/> on into one: [N, C, H, W] to [N, C*H*W] by default.</summary>
public sealed class Flatten(int startAxis = 1) : Module
{
    /// <summary>The first flattened dimension.</summary>
    public int StartAxis { get; } = startAxis;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Flatten(StartAxis);
    }
}

namespace Semola.Autodiff.Nn;

/// <summary>Applies the mean over H and W: [N, C, H, W] to [N, C] (no parameters).</summary>
public sealed class GlobalAvgPool2d : Module
{
    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.GlobalAvgPool2d();
    }
}

namespace Semola.Autodiff.Nn;

/// <summary>Applies x if x &gt; 0 else slope * x.</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module
{
    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.LeakyRelu(NegativeSlope);
    }

    /// <inheritdoc />
    public override string ToString() => $"LeakyReLU({NegativeSlope})";
}

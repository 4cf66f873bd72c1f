namespace Semola.Autodiff.Nn;

/// <summary>
/// Pools p4 feature maps [N, C * 4, H, W] (see <see cref="P4"/>) over the four rotations, by maximum or
/// mean, giving [N, C, H, W] maps that rotate with the input and no longer depend on the rotation index.
/// </summary>
public sealed class P4GroupPool : Module
{
    /// <summary>Creates the layer: maximum over the rotations when <paramref name="max"/> is true, else the mean.</summary>
    public P4GroupPool(bool max = true)
    {
        UsesMax = max;
    }

    /// <summary>True for the maximum, false for the mean.</summary>
    public bool UsesMax { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] % P4.Order != 0)
        {
            throw new ArgumentException($"P4GroupPool: expected p4 input [N, C * 4, H, W], found {input.ShapeString}.");
        }

        int n = input.Shape[0], c = input.Shape[1] / P4.Order, h = input.Shape[2], w = input.Shape[3];
        var grouped = input.Reshape(n, c, P4.Order, h * w);
        var pooled = UsesMax ? grouped.Max(2) : grouped.Mean(2);
        return pooled.Reshape(n, c, h, w);
    }

    /// <inheritdoc />
    public override string ToString() => $"P4GroupPool({(UsesMax ? "max" : "mean")})";
}

namespace Semola.Autodiff.Nn;

/// <summary>
/// Batch normalisation of p4 feature maps [N, C * 4, H, W] (see <see cref="P4"/>) with one mean,
/// variance, scale and shift per channel shared by its four rotations (statistics over N, the rotations,
/// H and W), so that it commutes with rotating the input. Parameters and buffers as <see cref="BatchNorm2d"/>(C).
/// </summary>
public sealed class P4BatchNorm : Module
{
    private readonly BatchNorm2d _norm;

    /// <summary>Creates the layer for <paramref name="channels"/> channels per rotation.</summary>
    public P4BatchNorm(int channels, float eps = 1e-5f, float momentum = 0.1f)
    {
        Channels = channels;
        _norm = RegisterModule("norm", new BatchNorm2d(channels, eps, momentum));
    }

    /// <summary>Channels per rotation.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != Channels * P4.Order)
        {
            throw new ArgumentException($"{this}: expected p4 input [N, {Channels * P4.Order}, H, W], found {input.ShapeString}.");
        }

        int n = input.Shape[0], h = input.Shape[2], w = input.Shape[3];
        return _norm.Forward(input.Reshape(n, Channels, P4.Order * h, w)).Reshape(n, Channels * P4.Order, h, w);
    }

    /// <inheritdoc />
    public override string ToString() => $"P4BatchNorm({Channels} x 4)";
}

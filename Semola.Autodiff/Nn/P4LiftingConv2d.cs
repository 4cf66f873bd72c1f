namespace Semola.Autodiff.Nn;

/// <summary>
/// The lifting convolution of a p4 group CNN: a k x k convolution (no bias) of [N, in, H, W] images with
/// each filter at its four rotations, giving p4 feature maps [N, out * 4, H', W'] (channel o * 4 + r is
/// filter o rotated by r quarter turns, see <see cref="P4"/>). Rotating the input by a quarter turn
/// rotates every output map and shifts the rotation index by one (r to r + 1 mod 4), exactly when the
/// padding keeps the output centred (odd k, padding (k - 1) / 2) and the images are square.
/// </summary>
public sealed class P4LiftingConv2d : Module
{
    private readonly int[] _index;

    /// <summary>Creates the layer with seeded Kaiming-uniform filters [out, in, k, k].</summary>
    public P4LiftingConv2d(int inChannels, int outChannels, int kernelSize, Random rng, int padding = 0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Padding = padding;
        Weight = RegisterParameter("weight", Init.KaimingUniform([outChannels, inChannels, kernelSize, kernelSize], rng));
        _index = ExpansionIndex(inChannels, kernelSize);
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels per rotation (the output has four times as many).</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The filters [out, in, k, k] at rotation 0.</summary>
    public Tensor Weight { get; }

    /// <summary>
    /// The filter bank [out * 4, in, k, k] of <paramref name="weight"/> [out, in, k, k]: filter o at
    /// rotation r in row o * 4 + r (one differentiable gather).
    /// </summary>
    public static Tensor ExpandWeight(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 4 || weight.Shape[2] != weight.Shape[3])
        {
            throw new ArgumentException($"P4LiftingConv2d: expected filters [out, in, k, k], found {weight.ShapeString}.");
        }

        return Expand(weight, ExpansionIndex(weight.Shape[1], weight.Shape[2]));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels)
        {
            throw new ArgumentException($"{this}: expected input [N, {InChannels}, H, W], found {input.ShapeString}.");
        }

        return input.Conv2d(Expand(Weight, _index), 1, Padding);
    }

    /// <inheritdoc />
    public override string ToString() => $"P4LiftingConv2d({InChannels} -> {OutChannels} x 4, {KernelSize}x{KernelSize}, padding {Padding})";

    private static Tensor Expand(Tensor weight, int[] index)
    {
        int o = weight.Shape[0], i = weight.Shape[1], k = weight.Shape[2];
        return weight.Reshape(o, i * k * k).IndexSelect(1, index).Reshape(o * P4.Order, i, k, k);
    }

    private static int[] ExpansionIndex(int inChannels, int k)
    {
        int kk = k * k, m = inChannels * kk;
        var index = new int[P4.Order * m];
        for (int r = 0; r < P4.Order; r++)
        {
            var source = P4.RotationSource(k, r);
            for (int c = 0; c < inChannels; c++)
            {
                for (int p = 0; p < kk; p++)
                {
                    index[(r * m) + (c * kk) + p] = (c * kk) + source[p];
                }
            }
        }

        return index;
    }
}

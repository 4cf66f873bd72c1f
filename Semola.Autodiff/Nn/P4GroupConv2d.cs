namespace Semola.Autodiff.Nn;

/// <summary>
/// A group convolution on p4 feature maps (see <see cref="P4"/>): [N, in * 4, H, W] to
/// [N, out * 4, H', W'], no bias. Output rotation r of filter o uses the filter rotated by r quarter
/// turns with its input-rotation axis cyclically shifted by r: weight[o, c, (s - r) mod 4] applied to
/// input rotation s. A quarter turn of the input (maps rotated, rotation index shifted by one) gives the
/// same transformation of the output, with odd k, padding (k - 1) / 2 and square maps.
/// </summary>
public sealed class P4GroupConv2d : Module
{
    private readonly int[] _index;

    /// <summary>Creates the layer with seeded Kaiming-uniform filters [out, in * 4, k, k] (fan-in in * 4 * k * k).</summary>
    public P4GroupConv2d(int inChannels, int outChannels, int kernelSize, Random rng, int padding = 0)
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
        Weight = RegisterParameter("weight", Init.KaimingUniform([outChannels, inChannels * P4.Order, kernelSize, kernelSize], rng));
        _index = ExpansionIndex(inChannels, kernelSize);
    }

    /// <summary>Input channels per rotation.</summary>
    public int InChannels { get; }

    /// <summary>Output channels per rotation.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The filters [out, in * 4, k, k] (input channel c * 4 + s) for output rotation 0.</summary>
    public Tensor Weight { get; }

    /// <summary>The filter bank [out * 4, in * 4, k, k] of <paramref name="weight"/> [out, in * 4, k, k] (one differentiable gather).</summary>
    public static Tensor ExpandWeight(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 4 || weight.Shape[1] % P4.Order != 0 || weight.Shape[2] != weight.Shape[3])
        {
            throw new ArgumentException($"P4GroupConv2d: expected filters [out, in * 4, k, k], found {weight.ShapeString}.");
        }

        return Expand(weight, ExpansionIndex(weight.Shape[1] / P4.Order, weight.Shape[2]));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Shape[1] != InChannels * P4.Order)
        {
            throw new ArgumentException($"{this}: expected p4 input [N, {InChannels * P4.Order}, H, W], found {input.ShapeString}.");
        }

        return input.Conv2d(Expand(Weight, _index), 1, Padding);
    }

    /// <inheritdoc />
    public override string ToString() => $"P4GroupConv2d({InChannels} x 4 -> {OutChannels} x 4, {KernelSize}x{KernelSize}, padding {Padding})";

    private static Tensor Expand(Tensor weight, int[] index)
    {
        int o = weight.Shape[0], i4 = weight.Shape[1], k = weight.Shape[2];
        return weight.Reshape(o, i4 * k * k).IndexSelect(1, index).Reshape(o * P4.Order, i4, k, k);
    }

    private static int[] ExpansionIndex(int inChannels, int k)
    {
        int kk = k * k, m = inChannels * P4.Order * kk;
        var index = new int[P4.Order * m];
        for (int r = 0; r < P4.Order; r++)
        {
            var source = P4.RotationSource(k, r);
            for (int c = 0; c < inChannels; c++)
            {
                for (int s = 0; s < P4.Order; s++)
                {
                    int shifted = (s - r + P4.Order) % P4.Order;
                    for (int p = 0; p < kk; p++)
                    {
                        index[(r * m) + (((c * P4.Order) + s) * kk) + p] = (((c * P4.Order) + shifted) * kk) + source[p];
                    }
                }
            }
        }

        return index;
    }
}

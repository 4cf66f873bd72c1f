namespace Semola.Autodiff.Nn;

/// <summary>
/// A 2D convolution over NCHW input with a square kernel: weight [out, in, k, k] (Kaiming-uniform,
/// ReLU gain), optional bias [out] (zeros), stride and zero padding.
/// </summary>
public sealed class Conv2d : Module
{
    /// <summary>Creates the layer with seeded initial weights.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random rng, int stride = 1, int padding = 0, bool bias = true)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Weight = RegisterParameter("weight", Init.KaimingUniform([outChannels, inChannels, kernelSize, kernelSize], rng));
        if (bias)
        {
            Bias = RegisterParameter("bias", Init.Constant([outChannels], 0f));
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Stride in both directions.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on every side.</summary>
    public int Padding { get; }

    /// <summary>The weight [out, in, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>The bias [out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var y = input.Conv2d(Weight, Stride, Padding);
        if (Bias is not null)
        {
            y = y.Add(Bias.Reshape(1, OutChannels, 1, 1));
        }
        return y;
    }

    /// <inheritdoc />
    public override string ToString() => $"Conv2d({InChannels} -> {OutChannels}, {KernelSize}x{KernelSize}, stride {Stride}, padding {Padding}{(Bias is null ? ", no bias" : string.Empty)})";
}

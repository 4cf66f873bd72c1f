namespace Semola.Autodiff.Nn;

/// <summary>Max pooling over square windows of NCHW input (stride defaults to the kernel size).</summary>
public sealed class MaxPool2d : Module
{
    /// <summary>Creates the layer.</summary>
    public MaxPool2d(int kernelSize, int stride = 0, int padding = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegative(stride);
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        KernelSize = kernelSize;
        Stride = stride == 0 ? kernelSize : stride;
        Padding = padding;
    }

    /// <summary>Window height and width.</summary>
    public int KernelSize { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>Padding (minus infinity) on every side.</summary>
    public int Padding { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.MaxPool2d(KernelSize, Stride, Padding);
    }

    /// <inheritdoc />
    public override string ToString() => $"MaxPool2d({KernelSize}, stride {Stride})";
}

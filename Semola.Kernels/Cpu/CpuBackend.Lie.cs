namespace Semola.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public override void MatrixExp(DeviceBuffer a, int batch, int n, DeviceBuffer expA) =>
        CpuMatrixExp.Forward(Cast(a, nameof(MatrixExp)).Span.Slice(0, batch * n * n), batch, n, Cast(expA, nameof(MatrixExp)).Span.Slice(0, batch * n * n));

    /// <inheritdoc />
    public override void MatrixExpBackward(DeviceBuffer a, DeviceBuffer gradOut, int batch, int n, DeviceBuffer gradA)
    {
        int len = batch * n * n;
        CpuMatrixExp.Backward(Cast(a, nameof(MatrixExpBackward)).Span.Slice(0, len), Cast(gradOut, nameof(MatrixExpBackward)).Span.Slice(0, len), batch, n, Cast(gradA, nameof(MatrixExpBackward)).Span.Slice(0, len));
    }

    /// <inheritdoc />
    public override void AffineGridSample(DeviceBuffer image, DeviceBuffer theta, int b, int c, int h, int w, DeviceBuffer output)
    {
        int size = b * c * h * w;
        CpuGridSample.Forward(Cast(image, nameof(AffineGridSample)).Span.Slice(0, size), Cast(theta, nameof(AffineGridSample)).Span.Slice(0, b * 6), b, c, h, w, Cast(output, nameof(AffineGridSample)).Span.Slice(0, size));
    }

    /// <inheritdoc />
    public override void AffineGridSampleBackward(DeviceBuffer image, DeviceBuffer theta, DeviceBuffer gradOut, int b, int c, int h, int w, DeviceBuffer? gradImage, DeviceBuffer? gradTheta)
    {
        int size = b * c * h * w;
        const string op = nameof(AffineGridSampleBackward);
        CpuGridSample.Backward(
            Cast(image, op).Span.Slice(0, size),
            Cast(theta, op).Span.Slice(0, b * 6),
            Cast(gradOut, op).Span.Slice(0, size),
            b, c, h, w,
            gradImage is null ? Span<float>.Empty : Cast(gradImage, op).Span.Slice(0, size),
            gradTheta is null ? Span<float>.Empty : Cast(gradTheta, op).Span.Slice(0, b * 6));
    }
}

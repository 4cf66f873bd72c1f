namespace Semola.Kernels.Cpu;

public sealed partial class CpuBackend
{
    /// <inheritdoc />
    public override void Gemm(in GemmArgs g)
    {
        var a = Cast(g.A, nameof(Gemm)).Span.Slice(g.OffsetA);
        var b = Cast(g.B, nameof(Gemm)).Span.Slice(g.OffsetB);
        var c = Cast(g.C, nameof(Gemm)).Span.Slice(g.OffsetC);
        CpuGemm.SgemmBatched(g.Batch, g.TransA, g.TransB, g.M, g.N, g.K, g.Alpha, a, g.Lda, g.StrideA, b, g.Ldb, g.StrideB, g.Beta, c, g.Ldc, g.StrideC);
    }

    /// <inheritdoc />
    public override void Conv2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y) =>
        CpuConv2d.Forward(g, Cast(x, "Conv2d").Span, Cast(w, "Conv2d").Span, Cast(y, "Conv2d").Span);

    /// <inheritdoc />
    public override void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx) =>
        CpuConv2d.BackwardInput(g, Cast(dy, "Conv2d").Span, Cast(w, "Conv2d").Span, Cast(dx, "Conv2d").Span);

    /// <inheritdoc />
    public override void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw) =>
        CpuConv2d.BackwardWeight(g, Cast(x, "Conv2d").Span, Cast(dy, "Conv2d").Span, Cast(dw, "Conv2d").Span);

    /// <inheritdoc />
    public override void MaxPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y) =>
        CpuPool2d.MaxForward(g, Cast(x, "MaxPool2d").Span, Cast(y, "MaxPool2d").Span);

    /// <inheritdoc />
    public override void MaxPool2dBackward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx) =>
        CpuPool2d.MaxBackward(g, Cast(x, "MaxPool2d").Span, Cast(dy, "MaxPool2d").Span, Cast(dx, "MaxPool2d").Span);

    /// <inheritdoc />
    public override void AvgPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y) =>
        CpuPool2d.AvgForward(g, Cast(x, "AvgPool2d").Span, Cast(y, "AvgPool2d").Span);

    /// <inheritdoc />
    public override void AvgPool2dBackward(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer dx) =>
        CpuPool2d.AvgBackward(g, Cast(dy, "AvgPool2d").Span, Cast(dx, "AvgPool2d").Span);
}

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

    private static int InputSize(in Conv2dGeometry g) => g.N * g.C * g.H * g.W;

    private static int OutputSize(in Conv2dGeometry g) => g.N * g.OutC * g.OH * g.OW;

    private static int WeightSize(in Conv2dGeometry g) => g.OutC * g.C * g.KH * g.KW;

    /// <inheritdoc />
    public override void Conv2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y) =>
        CpuConv2d.Forward(Cast(x, "Conv2d").Span[..InputSize(g)], g.N, g.C, g.H, g.W, Cast(w, "Conv2d").Span[..WeightSize(g)],
            g.OutC, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW, Cast(y, "Conv2d").Span[..OutputSize(g)]);

    /// <inheritdoc />
    public override void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx) =>
        CpuConv2d.BackwardInput(Cast(dy, "Conv2d").Span[..OutputSize(g)], g.N, g.C, g.H, g.W, Cast(w, "Conv2d").Span[..WeightSize(g)],
            g.OutC, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW, Cast(dx, "Conv2d").Span[..InputSize(g)]);

    /// <inheritdoc />
    public override void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw) =>
        CpuConv2d.BackwardWeight(Cast(x, "Conv2d").Span[..InputSize(g)], g.N, g.C, g.H, g.W, Cast(dy, "Conv2d").Span[..OutputSize(g)],
            g.OutC, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW, Cast(dw, "Conv2d").Span[..WeightSize(g)]);

    /// <inheritdoc />
    public override void MaxPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y)
    {
        int outSize = g.N * g.C * g.OH * g.OW;
        var argmax = System.Buffers.ArrayPool<int>.Shared.Rent(outSize);
        try
        {
            CpuPool2d.MaxForward(Cast(x, "MaxPool2d").Span[..InputSize(g)], g.N, g.C, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW,
                Cast(y, "MaxPool2d").Span[..outSize], argmax.AsSpan(0, outSize));
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(argmax);
        }
    }

    /// <inheritdoc />
    public override void MaxPool2dBackward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx)
    {
        // The window maxima are recomputed from x (cheap next to a convolution), so the forward pass
        // keeps no index buffer alive between passes.
        int outSize = g.N * g.C * g.OH * g.OW;
        var argmax = System.Buffers.ArrayPool<int>.Shared.Rent(outSize);
        var scratch = System.Buffers.ArrayPool<float>.Shared.Rent(outSize);
        try
        {
            CpuPool2d.MaxForward(Cast(x, "MaxPool2d").Span[..InputSize(g)], g.N, g.C, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW,
                scratch.AsSpan(0, outSize), argmax.AsSpan(0, outSize));
            CpuPool2d.MaxBackward(Cast(dy, "MaxPool2d").Span[..outSize], argmax.AsSpan(0, outSize), g.N, g.C, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW,
                Cast(dx, "MaxPool2d").Span[..InputSize(g)]);
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(argmax);
            System.Buffers.ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <inheritdoc />
    public override void AvgPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y) =>
        CpuPool2d.AvgForward(Cast(x, "AvgPool2d").Span[..InputSize(g)], g.N, g.C, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW,
            Cast(y, "AvgPool2d").Span[..(g.N * g.C * g.OH * g.OW)]);

    /// <inheritdoc />
    public override void AvgPool2dBackward(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer dx) =>
        CpuPool2d.AvgBackward(Cast(dy, "AvgPool2d").Span[..(g.N * g.C * g.OH * g.OW)], g.N, g.C, g.H, g.W, g.KH, g.KW, g.StrideH, g.StrideW, g.PadH, g.PadW,
            Cast(dx, "AvgPool2d").Span[..InputSize(g)]);
}

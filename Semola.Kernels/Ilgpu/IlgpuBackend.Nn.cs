using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

public sealed partial class IlgpuBackend
{
    private const int MaxGridZ = 65535;

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmParams>? _gemm;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>? _im2col;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>? _col2im;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>? _maxPool;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>>? _maxPoolBackward;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>? _avgPool;
    private Action<AcceleratorStream, Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>? _avgPoolBackward;

    /// <inheritdoc />
    public override void Gemm(in GemmArgs g)
    {
        var a = V(g.A, nameof(Gemm));
        var b = V(g.B, nameof(Gemm));
        var c = V(g.C, nameof(Gemm));
        var p = new GemmParams
        {
            M = g.M, N = g.N, K = g.K, Lda = g.Lda, Ldb = g.Ldb, Ldc = g.Ldc,
            OffsetA = g.OffsetA, OffsetB = g.OffsetB, OffsetC = g.OffsetC,
            StrideA = g.StrideA, StrideB = g.StrideB, StrideC = g.StrideC,
            TransA = g.TransA ? 1 : 0, TransB = g.TransB ? 1 : 0, Alpha = g.Alpha, Beta = g.Beta,
        };
        LaunchGemm(a, b, c, p, g.Batch);
    }

    private void LaunchGemm(ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, GemmParams p, int batch)
    {
        if (p.M <= 0 || p.N <= 0 || batch <= 0)
        {
            return;
        }
        var kernel = Kernel(ref _gemm, acc => acc.LoadKernel<ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmParams>(GemmKernels.Tiled));
        int tile = 4 * GemmEdge;
        int gx = (p.N + tile - 1) / tile;
        int gy = (p.M + tile - 1) / tile;
        var shared = SharedMemoryConfig.RequestDynamic<float>(GemmKernels.SharedFloats(GemmEdge));
        for (int start = 0; start < batch; start += MaxGridZ)
        {
            int count = Math.Min(MaxGridZ, batch - start);
            p.BatchStart = start;
            kernel(Stream, new KernelConfig(new Index3D(gx, gy, count), new Index3D(GemmEdge, GemmEdge, 1), shared), a, b, c, p);
        }
    }

    private static int ColLength(in Conv2dGeometry g) => checked(g.N * g.C * g.KH * g.KW * g.OH * g.OW);

    private void Im2Col(in Conv2dGeometry g, ArrayView<float> x, ArrayView<float> col) =>
        Kernel(ref _im2col, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>(ConvKernels.Im2Col))(Stream, ColLength(g), g, x, col);

    /// <inheritdoc />
    public override void Conv2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer w, DeviceBuffer y)
    {
        var xv = V(x, "Conv2d");
        var wv = V(w, "Conv2d");
        var yv = V(y, "Conv2d");
        int rows = g.C * g.KH * g.KW, ohw = g.OH * g.OW;
        if (ColLength(g) == 0 || g.OutC == 0)
        {
            return;
        }
        using var col = Allocate(ColLength(g));
        var cv = V(col, "Conv2d");
        Im2Col(g, xv, cv);
        // y[n] [OutC, OH*OW] = W [OutC, rows] @ col[n] [rows, OH*OW]
        LaunchGemm(wv, cv, yv, new GemmParams
        {
            M = g.OutC, N = ohw, K = rows, Lda = rows, Ldb = ohw, Ldc = ohw,
            StrideA = 0, StrideB = rows * ohw, StrideC = g.OutC * ohw, Alpha = 1f, Beta = 0f,
        }, g.N);
    }

    /// <inheritdoc />
    public override void Conv2dBackwardInput(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx)
    {
        var dyv = V(dy, "Conv2d");
        var wv = V(w, "Conv2d");
        var dxv = V(dx, "Conv2d");
        int rows = g.C * g.KH * g.KW, ohw = g.OH * g.OW;
        int size = g.N * g.C * g.H * g.W;
        if (size == 0)
        {
            return;
        }
        if (ColLength(g) == 0)
        {
            Fill(dx, 0, size, 0f);
            return;
        }
        using var col = Allocate(ColLength(g));
        var cv = V(col, "Conv2d");
        // dcol[n] [rows, OH*OW] = W^T [rows, OutC] @ dy[n] [OutC, OH*OW]
        LaunchGemm(wv, dyv, cv, new GemmParams
        {
            M = rows, N = ohw, K = g.OutC, Lda = rows, Ldb = ohw, Ldc = ohw, TransA = 1,
            StrideA = 0, StrideB = g.OutC * ohw, StrideC = rows * ohw, Alpha = 1f, Beta = 0f,
        }, g.N);
        Kernel(ref _col2im, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>(ConvKernels.Col2Im))(Stream, size, g, cv, dxv);
    }

    /// <inheritdoc />
    public override void Conv2dBackwardWeight(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw)
    {
        var xv = V(x, "Conv2d");
        var dyv = V(dy, "Conv2d");
        var dwv = V(dw, "Conv2d");
        int rows = g.C * g.KH * g.KW, ohw = g.OH * g.OW;
        if (rows * g.OutC == 0)
        {
            return;
        }
        if (ColLength(g) == 0)
        {
            Fill(dw, 0, rows * g.OutC, 0f);
            return;
        }
        using var col = Allocate(ColLength(g));
        var cv = V(col, "Conv2d");
        Im2Col(g, xv, cv);
        // dW [OutC, rows] = sum_n dy[n] [OutC, OH*OW] @ col[n]^T [OH*OW, rows]
        for (int n = 0; n < g.N; n++)
        {
            LaunchGemm(dyv, cv, dwv, new GemmParams
            {
                M = g.OutC, N = rows, K = ohw, Lda = ohw, Ldb = ohw, Ldc = rows, TransB = 1,
                OffsetA = n * g.OutC * ohw, OffsetB = n * rows * ohw, Alpha = 1f, Beta = n == 0 ? 0f : 1f,
            }, 1);
        }
    }

    private static int PoolOutputs(in Conv2dGeometry g) => g.N * g.C * g.OH * g.OW;

    /// <inheritdoc />
    public override void MaxPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y)
    {
        var xv = V(x, "MaxPool2d");
        var yv = V(y, "MaxPool2d");
        if (PoolOutputs(g) > 0)
        {
            Kernel(ref _maxPool, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>(ConvKernels.MaxPoolForward))(Stream, PoolOutputs(g), g, xv, yv);
        }
    }

    /// <inheritdoc />
    public override void MaxPool2dBackward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx)
    {
        var xv = V(x, "MaxPool2d");
        var dyv = V(dy, "MaxPool2d");
        var dxv = V(dx, "MaxPool2d");
        int size = g.N * g.C * g.H * g.W;
        if (size > 0)
        {
            Kernel(ref _maxPoolBackward, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>, ArrayView<float>>(ConvKernels.MaxPoolBackward))(Stream, size, g, xv, dyv, dxv);
        }
    }

    /// <inheritdoc />
    public override void AvgPool2dForward(in Conv2dGeometry g, DeviceBuffer x, DeviceBuffer y)
    {
        var xv = V(x, "AvgPool2d");
        var yv = V(y, "AvgPool2d");
        if (PoolOutputs(g) > 0)
        {
            Kernel(ref _avgPool, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>(ConvKernels.AvgPoolForward))(Stream, PoolOutputs(g), g, xv, yv);
        }
    }

    /// <inheritdoc />
    public override void AvgPool2dBackward(in Conv2dGeometry g, DeviceBuffer dy, DeviceBuffer dx)
    {
        var dyv = V(dy, "AvgPool2d");
        var dxv = V(dx, "AvgPool2d");
        int size = g.N * g.C * g.H * g.W;
        if (size > 0)
        {
            Kernel(ref _avgPoolBackward, a => a.LoadAutoGroupedKernel<Index1D, Conv2dGeometry, ArrayView<float>, ArrayView<float>>(ConvKernels.AvgPoolBackward))(Stream, size, g, dyv, dxv);
        }
    }
}

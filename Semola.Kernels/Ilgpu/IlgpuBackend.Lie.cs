using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

public sealed partial class IlgpuBackend
{
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, int, ArrayView<double>, ArrayView<float>>? _matrixExp;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>>? _gridSample;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, ArrayView<float>, int, ArrayView<float>>? _gridSampleBackward;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>? _gridSampleTheta;
    private Action<AcceleratorStream, Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>>? _gridSampleImageGrad;

    private void RunMatrixExp(DeviceBuffer a, DeviceBuffer? gradOut, int batch, int n, DeviceBuffer output, string op)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var av = V(a, op);
        var gv = gradOut is null ? ArrayView<float>.Empty : V(gradOut, op);
        var ov = V(output, op);
        if (batch == 0)
        {
            return;
        }
        int m = gradOut is null ? n : 2 * n;
        var ws = DoubleScratch((long)batch * LieKernels.Workspace(m));
        Kernel(ref _matrixExp, acc => acc.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, ArrayView<double>, ArrayView<float>>(LieKernels.MatrixExp))(
            Stream, batch, av, gv, n, gradOut is null ? 0 : 1, ws, ov);
    }

    /// <inheritdoc />
    public override void MatrixExp(DeviceBuffer a, int batch, int n, DeviceBuffer expA) => RunMatrixExp(a, null, batch, n, expA, nameof(MatrixExp));

    /// <inheritdoc />
    public override void MatrixExpBackward(DeviceBuffer a, DeviceBuffer gradOut, int batch, int n, DeviceBuffer gradA) =>
        RunMatrixExp(a, gradOut, batch, n, gradA, nameof(MatrixExpBackward));

    /// <inheritdoc />
    public override void AffineGridSample(DeviceBuffer image, DeviceBuffer theta, int b, int c, int h, int w, DeviceBuffer output)
    {
        const string op = nameof(AffineGridSample);
        var iv = V(image, op);
        var tv = V(theta, op);
        var ov = V(output, op);
        if (b * h * w == 0 || c == 0)
        {
            return;
        }
        Kernel(ref _gridSample, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>>(LieKernels.GridSample))(
            Stream, b * h * w, iv, tv, c, h, w, ov);
    }

    /// <inheritdoc />
    public override void AffineGridSampleBackward(DeviceBuffer image, DeviceBuffer theta, DeviceBuffer gradOut, int b, int c, int h, int w, DeviceBuffer? gradImage, DeviceBuffer? gradTheta)
    {
        const string op = nameof(AffineGridSampleBackward);
        var iv = V(image, op);
        var tv = V(theta, op);
        var gv = V(gradOut, op);
        var giv = gradImage is null ? ArrayView<float>.Empty : V(gradImage, op);
        var gtv = gradTheta is null ? ArrayView<float>.Empty : V(gradTheta, op);
        if (gradImage is null && gradTheta is null)
        {
            return;
        }
        int size = b * c * h * w;
        bool gather = Deterministic && gradImage is not null;
        if (gradImage is not null && size > 0 && !gather)
        {
            Fill(gradImage, 0, size, 0f);
        }
        int pixels = b * h * w;
        if (pixels == 0 || c == 0)
        {
            if (gradTheta is not null && b > 0)
            {
                Fill(gradTheta, 0, 6 * b, 0f);
            }
            return;
        }
        if (gather)
        {
            Kernel(ref _gridSampleImageGrad, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, int, ArrayView<float>>(LieKernels.GridSampleImageGrad))(
                Stream, size, tv, gv, c, h, w, giv);
            if (gradTheta is null)
            {
                return;
            }
        }
        using var dpos = Allocate(gradTheta is null ? 1 : 2 * pixels);
        var dv = V(dpos, op);
        Kernel(ref _gridSampleBackward, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, int, int, int, int, ArrayView<float>, int, ArrayView<float>>(LieKernels.GridSampleBackward))(
            Stream, pixels, iv, tv, gv, c, h, w, gradImage is null || gather ? 0 : 1, giv, gradTheta is null ? 0 : 1, dv);
        if (gradTheta is not null)
        {
            Kernel(ref _gridSampleTheta, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, ArrayView<float>, int, int, ArrayView<float>>(LieKernels.GridSampleThetaGrad))(
                Stream, b, tv, dv, h, w, gtv);
        }
    }
}

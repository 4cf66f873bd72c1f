using ILGPU;
using ILGPU.Runtime;
using Semola.Kernels.Ops;

namespace Semola.Kernels.Ilgpu;

public sealed partial class IlgpuBackend
{
    private Action<AcceleratorStream, Index1D, ArrayView<float>, int, float>? _fill;
    private Action<AcceleratorStream, Index1D, IterationSpace, ArrayView<float>, int, ArrayView<float>, int>? _copy;

    private static void CheckView(int[] shape, StridedView v, string op)
    {
        if (v.Strides.Length != shape.Length)
        {
            throw new ArgumentException($"{op}: view has {v.Strides.Length} strides for shape {Layout.Format(shape)}.");
        }
    }

    /// <inheritdoc />
    public override void Fill(DeviceBuffer dst, int offset, int count, float value)
    {
        var y = V(dst, nameof(Fill));
        if (count <= 0)
        {
            return;
        }
        Kernel(ref _fill, a => a.LoadAutoGroupedKernel<Index1D, ArrayView<float>, int, float>(ElementwiseKernels.Fill))(Stream, count, y, offset, value);
    }

    /// <inheritdoc />
    public override void Copy(int[] shape, StridedView src, StridedView dst)
    {
        CheckView(shape, src, nameof(Copy));
        CheckView(shape, dst, nameof(Copy));
        int n = Layout.Numel(shape);
        var s = V(src.Buffer, nameof(Copy));
        var d = V(dst.Buffer, nameof(Copy));
        if (n == 0)
        {
            return;
        }
        var space = IterationSpace.Create(shape, src.Strides, dst.Strides);
        Kernel(ref _copy, a => a.LoadAutoGroupedKernel<Index1D, IterationSpace, ArrayView<float>, int, ArrayView<float>, int>(ElementwiseKernels.Copy))(
            Stream, n, space, s, src.Offset, d, dst.Offset);
    }

    private void RunUnary<TOp>(TOp op, int[] shape, StridedView x, DeviceBuffer y)
        where TOp : struct, IUnaryScalarOp
    {
        int n = Layout.Numel(shape);
        var xv = V(x.Buffer, nameof(Unary));
        var yv = V(y, nameof(Unary));
        if (n == 0)
        {
            return;
        }
        var space = IterationSpace.Create(shape, x.Strides, new int[shape.Length]);
        var kernel = GenericKernel<TOp, Action<AcceleratorStream, Index1D, TOp, IterationSpace, ArrayView<float>, int, ArrayView<float>>>(
            () => Accelerator.LoadAutoGroupedKernel<Index1D, TOp, IterationSpace, ArrayView<float>, int, ArrayView<float>>(ElementwiseKernels.Unary));
        kernel(Stream, n, op, space, xv, x.Offset, yv);
    }

    private void RunUnaryContiguous<TOp>(TOp op, DeviceBuffer x, DeviceBuffer y, int count)
        where TOp : struct, IUnaryScalarOp
    {
        if (count == 0)
        {
            return;
        }
        var kernel = GenericKernel<TOp, Action<AcceleratorStream, Index1D, TOp, ArrayView<float>, ArrayView<float>>>(
            () => Accelerator.LoadAutoGroupedKernel<Index1D, TOp, ArrayView<float>, ArrayView<float>>(ElementwiseKernels.UnaryContiguous));
        kernel(Stream, count, op, V(x, nameof(Unary)), V(y, nameof(Unary)));
    }

    private void RunBinary<TOp>(TOp op, int[] shape, StridedView a, StridedView b, DeviceBuffer y)
        where TOp : struct, IBinaryScalarOp
    {
        int n = Layout.Numel(shape);
        var av = V(a.Buffer, nameof(Binary));
        var bv = V(b.Buffer, nameof(Binary));
        var yv = V(y, nameof(Binary));
        if (n == 0)
        {
            return;
        }
        var space = IterationSpace.Create(shape, a.Strides, b.Strides);
        var kernel = GenericKernel<TOp, Action<AcceleratorStream, Index1D, TOp, IterationSpace, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>>>(
            () => Accelerator.LoadAutoGroupedKernel<Index1D, TOp, IterationSpace, ArrayView<float>, int, ArrayView<float>, int, ArrayView<float>>(ElementwiseKernels.Binary));
        kernel(Stream, n, op, space, av, a.Offset, bv, b.Offset, yv);
    }

    /// <summary>Runs the unary kernel specialised for an op struct.</summary>
    private readonly struct UnaryVisitor(IlgpuBackend backend, int[] shape, StridedView x, DeviceBuffer y) : IUnaryOpVisitor
    {
        public void Vector<TOp>(TOp op)
            where TOp : struct, IUnaryVectorOp
            => backend.RunUnary(op, shape, x, y);

        public void Scalar<TOp>(TOp op)
            where TOp : struct, IUnaryScalarOp
            => backend.RunUnary(op, shape, x, y);
    }

    /// <summary>Runs the binary kernel specialised for an op struct.</summary>
    private readonly struct BinaryVisitor(IlgpuBackend backend, int[] shape, StridedView a, StridedView b, DeviceBuffer y) : IBinaryOpVisitor
    {
        public void Vector<TOp>(TOp op)
            where TOp : struct, IBinaryVectorOp
            => backend.RunBinary(op, shape, a, b, y);

        public void Scalar<TOp>(TOp op)
            where TOp : struct, IBinaryScalarOp
            => backend.RunBinary(op, shape, a, b, y);
    }

    /// <inheritdoc />
    public override void Unary(UnaryOp op, float p0, float p1, int[] shape, StridedView x, DeviceBuffer y)
    {
        CheckView(shape, x, nameof(Unary));
        var visitor = new UnaryVisitor(this, shape, x, y);
        ElementwiseDispatch.Unary(op, p0, p1, ref visitor);
    }

    /// <inheritdoc />
    public override void Binary(BinaryOp op, float p0, float p1, int[] shape, StridedView a, StridedView b, DeviceBuffer y)
    {
        CheckView(shape, a, nameof(Binary));
        CheckView(shape, b, nameof(Binary));
        var visitor = new BinaryVisitor(this, shape, a, b, y);
        ElementwiseDispatch.Binary(op, p0, p1, ref visitor);
    }
}

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

    /// <inheritdoc />
    public override void Unary(UnaryOp op, float p0, float p1, int[] shape, StridedView x, DeviceBuffer y)
    {
        CheckView(shape, x, nameof(Unary));
        switch (op)
        {
            case UnaryOp.Identity: RunUnary(default(IdentityOp), shape, x, y); break;
            case UnaryOp.Neg: RunUnary(default(NegOp), shape, x, y); break;
            case UnaryOp.Exp: RunUnary(default(ExpOp), shape, x, y); break;
            case UnaryOp.Log: RunUnary(default(LogOp), shape, x, y); break;
            case UnaryOp.Sqrt: RunUnary(default(SqrtOp), shape, x, y); break;
            case UnaryOp.Abs: RunUnary(default(AbsOp), shape, x, y); break;
            case UnaryOp.Sign: RunUnary(default(SignOp), shape, x, y); break;
            case UnaryOp.Relu: RunUnary(default(ReluOp), shape, x, y); break;
            case UnaryOp.LeakyRelu: RunUnary(new LeakyReluOp { Slope = p0 }, shape, x, y); break;
            case UnaryOp.Sigmoid: RunUnary(default(SigmoidOp), shape, x, y); break;
            case UnaryOp.Tanh: RunUnary(default(TanhOp), shape, x, y); break;
            case UnaryOp.Softplus: RunUnary(default(SoftplusOp), shape, x, y); break;
            case UnaryOp.Pow: RunUnary(new PowOp { Exponent = p0 }, shape, x, y); break;
            case UnaryOp.Clamp: RunUnary(new ClampOp { Min = p0, Max = p1 }, shape, x, y); break;
            case UnaryOp.AddScalar: RunUnary(new AddScalarOp { Value = p0 }, shape, x, y); break;
            case UnaryOp.MulScalar: RunUnary(new MulScalarOp { Value = p0 }, shape, x, y); break;
            case UnaryOp.ScalarDiv: RunUnary(new ScalarDivOp { Value = p0 }, shape, x, y); break;
            case UnaryOp.Square: RunUnary(default(SquareOp), shape, x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <inheritdoc />
    public override void Binary(BinaryOp op, float p0, float p1, int[] shape, StridedView a, StridedView b, DeviceBuffer y)
    {
        CheckView(shape, a, nameof(Binary));
        CheckView(shape, b, nameof(Binary));
        switch (op)
        {
            case BinaryOp.Add: RunBinary(default(AddOp), shape, a, b, y); break;
            case BinaryOp.Sub: RunBinary(default(SubOp), shape, a, b, y); break;
            case BinaryOp.Mul: RunBinary(default(MulOp), shape, a, b, y); break;
            case BinaryOp.Div: RunBinary(default(DivOp), shape, a, b, y); break;
            case BinaryOp.Min: RunBinary(default(MinOp), shape, a, b, y); break;
            case BinaryOp.Max: RunBinary(default(MaxOp), shape, a, b, y); break;
            case BinaryOp.Greater: RunBinary(default(GreaterOp), shape, a, b, y); break;
            case BinaryOp.GreaterEqual: RunBinary(default(GreaterEqualOp), shape, a, b, y); break;
            case BinaryOp.ReluBackward: RunBinary(default(ReluBackwardOp), shape, a, b, y); break;
            case BinaryOp.LeakyReluBackward: RunBinary(new LeakyReluBackwardOp { Slope = p0 }, shape, a, b, y); break;
            case BinaryOp.SigmoidBackward: RunBinary(default(SigmoidBackwardOp), shape, a, b, y); break;
            case BinaryOp.TanhBackward: RunBinary(default(TanhBackwardOp), shape, a, b, y); break;
            case BinaryOp.SoftplusBackward: RunBinary(default(SoftplusBackwardOp), shape, a, b, y); break;
            case BinaryOp.AbsBackward: RunBinary(default(AbsBackwardOp), shape, a, b, y); break;
            case BinaryOp.SqrtBackward: RunBinary(default(SqrtBackwardOp), shape, a, b, y); break;
            case BinaryOp.PowBackward: RunBinary(new PowBackwardOp { Exponent = p0 }, shape, a, b, y); break;
            case BinaryOp.ClampBackward: RunBinary(new ClampBackwardOp { Min = p0, Max = p1 }, shape, a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using Semola.Kernels.Ops;

namespace Semola.Kernels.Cpu;

public sealed unsafe partial class CpuBackend
{
    /// <summary>A kernel for one row of up to three operands (pointer + stride each).</summary>
    private interface IRowKernel
    {
        void Row(float* y, int sy, float* a, int sa, float* b, int sb, int n);
    }

    private readonly struct UnaryScalarRow<TOp>(TOp op) : IRowKernel
        where TOp : struct, IUnaryScalarOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* y, int sy, float* a, int sa, float* b, int sb, int n)
        {
            for (int i = 0; i < n; i++)
            {
                y[i * sy] = op.Apply(a[i * sa]);
            }
        }
    }

    private readonly struct UnaryVectorRow<TOp>(TOp op) : IRowKernel
        where TOp : struct, IUnaryVectorOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* y, int sy, float* a, int sa, float* b, int sb, int n)
        {
            int i = 0;
            if (sy == 1 && sa == 1)
            {
                int w = Vector<float>.Count;
                for (; i <= n - w; i += w)
                {
                    op.Apply(Unsafe.ReadUnaligned<Vector<float>>(a + i)).Store(y + i);
                }
            }
            for (; i < n; i++)
            {
                y[i * sy] = op.Apply(a[i * sa]);
            }
        }
    }

    private readonly struct BinaryScalarRow<TOp>(TOp op) : IRowKernel
        where TOp : struct, IBinaryScalarOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* y, int sy, float* a, int sa, float* b, int sb, int n)
        {
            for (int i = 0; i < n; i++)
            {
                y[i * sy] = op.Apply(a[i * sa], b[i * sb]);
            }
        }
    }

    private readonly struct BinaryVectorRow<TOp>(TOp op) : IRowKernel
        where TOp : struct, IBinaryVectorOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Row(float* y, int sy, float* a, int sa, float* b, int sb, int n)
        {
            int i = 0;
            int w = Vector<float>.Count;
            if (sy == 1 && sa == 1 && sb == 1)
            {
                for (; i <= n - w; i += w)
                {
                    op.Apply(Unsafe.ReadUnaligned<Vector<float>>(a + i), Unsafe.ReadUnaligned<Vector<float>>(b + i)).Store(y + i);
                }
            }
            else if (sy == 1 && sa == 1 && sb == 0)
            {
                var vb = new Vector<float>(*b);
                for (; i <= n - w; i += w)
                {
                    op.Apply(Unsafe.ReadUnaligned<Vector<float>>(a + i), vb).Store(y + i);
                }
            }
            else if (sy == 1 && sa == 0 && sb == 1)
            {
                var va = new Vector<float>(*a);
                for (; i <= n - w; i += w)
                {
                    op.Apply(va, Unsafe.ReadUnaligned<Vector<float>>(b + i)).Store(y + i);
                }
            }
            for (; i < n; i++)
            {
                y[i * sy] = op.Apply(a[i * sa], b[i * sb]);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="kernel"/> over every row of the coalesced iteration space, splitting the
    /// work across threads when it is large.
    /// </summary>
    private static void RunRows<TKernel>(TKernel kernel, int[] shape, float* y, int[] ys, float* a, int[] sa, float* b, int[] sb)
        where TKernel : struct, IRowKernel
    {
        var (dims, strides) = Layout.Coalesce(shape, ys, sa, sb);
        int rank = dims.Length;
        int rowLen = dims[rank - 1];
        int rows = 1;
        for (int i = 0; i < rank - 1; i++)
        {
            rows *= dims[i];
        }
        int[] s0 = strides[0], s1 = strides[1], s2 = strides[2];
        int ly = s0[rank - 1], la = s1[rank - 1], lb = s2[rank - 1];
        long total = (long)rows * rowLen;
        if (total == 0)
        {
            return;
        }

        // Work items: (row, segment) with segments of at most SegLen elements of one row.
        const int SegLen = 1 << 14;
        int segsPerRow = (rowLen + SegLen - 1) / SegLen;
        long items = (long)rows * segsPerRow;

        void DoRange(long start, long end)
        {
            for (long it = start; it < end; it++)
            {
                int row = (int)(it / segsPerRow);
                int seg = (int)(it % segsPerRow);
                long oy = 0, oa = 0, ob = 0;
                int r = row;
                for (int d = rank - 2; d >= 0; d--)
                {
                    int q = r % dims[d];
                    r /= dims[d];
                    oy += (long)q * s0[d];
                    oa += (long)q * s1[d];
                    ob += (long)q * s2[d];
                }
                int from = seg * SegLen;
                int n = Math.Min(SegLen, rowLen - from);
                kernel.Row(y + oy + (long)from * ly, ly, a + oa + (long)from * la, la, b + ob + (long)from * lb, lb, n);
            }
        }

        if (total < ParallelThreshold || items == 1 || Threads == 1)
        {
            DoRange(0, items);
            return;
        }
        int chunks = (int)Math.Min(items, Threads * 4L);
        Parallel.For(0, chunks, c => DoRange(items * c / chunks, items * (c + 1) / chunks));
    }

    private static float* Ptr(DeviceBuffer buffer, string op) => Cast(buffer, op).Pointer;

    private static void CheckView(int[] shape, StridedView v, string op)
    {
        if (v.Strides.Length != shape.Length)
        {
            throw new ArgumentException($"{op}: view has {v.Strides.Length} strides for shape {Layout.Format(shape)}.");
        }
    }

    /// <inheritdoc />
    public override void Copy(int[] shape, StridedView src, StridedView dst)
    {
        CheckView(shape, src, nameof(Copy));
        CheckView(shape, dst, nameof(Copy));
        var zero = new int[shape.Length];
        float* s = Ptr(src.Buffer, nameof(Copy)) + src.Offset;
        float* d = Ptr(dst.Buffer, nameof(Copy)) + dst.Offset;
        RunRows(new UnaryVectorRow<IdentityOp>(default), shape, d, dst.Strides, s, src.Strides, s, zero);
    }

    /// <inheritdoc />
    public override void Unary(UnaryOp op, float p0, float p1, int[] shape, StridedView x, DeviceBuffer y)
    {
        CheckView(shape, x, nameof(Unary));
        int[] ys = Layout.ContiguousStrides(shape);
        var zero = new int[shape.Length];
        float* px = Ptr(x.Buffer, nameof(Unary)) + x.Offset;
        float* py = Ptr(y, nameof(Unary));
        switch (op)
        {
            case UnaryOp.Identity: RunRows(new UnaryVectorRow<IdentityOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Neg: RunRows(new UnaryVectorRow<NegOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Exp: RunRows(new UnaryVectorRow<ExpOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Log: RunRows(new UnaryVectorRow<LogOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Sqrt: RunRows(new UnaryVectorRow<SqrtOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Abs: RunRows(new UnaryVectorRow<AbsOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Sign: RunRows(new UnaryScalarRow<SignOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Relu: RunRows(new UnaryVectorRow<ReluOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.LeakyRelu: RunRows(new UnaryVectorRow<LeakyReluOp>(new LeakyReluOp { Slope = p0 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Sigmoid: RunRows(new UnaryVectorRow<SigmoidOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Tanh: RunRows(new UnaryScalarRow<TanhOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Softplus: RunRows(new UnaryVectorRow<SoftplusOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Pow: RunRows(new UnaryScalarRow<PowOp>(new PowOp { Exponent = p0 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Clamp: RunRows(new UnaryVectorRow<ClampOp>(new ClampOp { Min = p0, Max = p1 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.AddScalar: RunRows(new UnaryVectorRow<AddScalarOp>(new AddScalarOp { Value = p0 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.MulScalar: RunRows(new UnaryVectorRow<MulScalarOp>(new MulScalarOp { Value = p0 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.ScalarDiv: RunRows(new UnaryVectorRow<ScalarDivOp>(new ScalarDivOp { Value = p0 }), shape, py, ys, px, x.Strides, px, zero); break;
            case UnaryOp.Square: RunRows(new UnaryVectorRow<SquareOp>(default), shape, py, ys, px, x.Strides, px, zero); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown unary op.");
        }
    }

    /// <inheritdoc />
    public override void Binary(BinaryOp op, float p0, float p1, int[] shape, StridedView a, StridedView b, DeviceBuffer y)
    {
        CheckView(shape, a, nameof(Binary));
        CheckView(shape, b, nameof(Binary));
        int[] ys = Layout.ContiguousStrides(shape);
        float* pa = Ptr(a.Buffer, nameof(Binary)) + a.Offset;
        float* pb = Ptr(b.Buffer, nameof(Binary)) + b.Offset;
        float* py = Ptr(y, nameof(Binary));
        int[] sa = a.Strides, sb = b.Strides;
        switch (op)
        {
            case BinaryOp.Add: RunRows(new BinaryVectorRow<AddOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Sub: RunRows(new BinaryVectorRow<SubOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Mul: RunRows(new BinaryVectorRow<MulOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Div: RunRows(new BinaryVectorRow<DivOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Min: RunRows(new BinaryVectorRow<MinOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Max: RunRows(new BinaryVectorRow<MaxOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.Greater: RunRows(new BinaryScalarRow<GreaterOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.GreaterEqual: RunRows(new BinaryScalarRow<GreaterEqualOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.ReluBackward: RunRows(new BinaryVectorRow<ReluBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.LeakyReluBackward: RunRows(new BinaryVectorRow<LeakyReluBackwardOp>(new LeakyReluBackwardOp { Slope = p0 }), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.SigmoidBackward: RunRows(new BinaryVectorRow<SigmoidBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.TanhBackward: RunRows(new BinaryVectorRow<TanhBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.SoftplusBackward: RunRows(new BinaryVectorRow<SoftplusBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.AbsBackward: RunRows(new BinaryScalarRow<AbsBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.SqrtBackward: RunRows(new BinaryVectorRow<SqrtBackwardOp>(default), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.PowBackward: RunRows(new BinaryScalarRow<PowBackwardOp>(new PowBackwardOp { Exponent = p0 }), shape, py, ys, pa, sa, pb, sb); break;
            case BinaryOp.ClampBackward: RunRows(new BinaryScalarRow<ClampBackwardOp>(new ClampBackwardOp { Min = p0, Max = p1 }), shape, py, ys, pa, sa, pb, sb); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }
}

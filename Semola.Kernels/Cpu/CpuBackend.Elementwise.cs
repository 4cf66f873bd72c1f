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

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        WorkQueue.Run(Threads, chunks, (_, c) => DoRange(items * c / chunks, items * (c + 1) / chunks));
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

    /// <summary>Runs a unary op struct over [shape] from a strided x into a contiguous y.</summary>
    private readonly struct UnaryVisitor(int[] shape, float* y, int[] ys, float* x, int[] xs) : IUnaryOpVisitor
    {
        public void Vector<TOp>(TOp op)
            where TOp : struct, IUnaryVectorOp
            => RunRows(new UnaryVectorRow<TOp>(op), shape, y, ys, x, xs, x, new int[shape.Length]);

        public void Scalar<TOp>(TOp op)
            where TOp : struct, IUnaryScalarOp
            => RunRows(new UnaryScalarRow<TOp>(op), shape, y, ys, x, xs, x, new int[shape.Length]);
    }

    /// <summary>Runs a binary op struct over [shape] from strided a and b into a contiguous y.</summary>
    private readonly struct BinaryVisitor(int[] shape, float* y, int[] ys, float* a, int[] sa, float* b, int[] sb) : IBinaryOpVisitor
    {
        public void Vector<TOp>(TOp op)
            where TOp : struct, IBinaryVectorOp
            => RunRows(new BinaryVectorRow<TOp>(op), shape, y, ys, a, sa, b, sb);

        public void Scalar<TOp>(TOp op)
            where TOp : struct, IBinaryScalarOp
            => RunRows(new BinaryScalarRow<TOp>(op), shape, y, ys, a, sa, b, sb);
    }

    /// <inheritdoc />
    public override void Unary(UnaryOp op, float p0, float p1, int[] shape, StridedView x, DeviceBuffer y)
    {
        CheckView(shape, x, nameof(Unary));
        float* px = Ptr(x.Buffer, nameof(Unary)) + x.Offset;
        var visitor = new UnaryVisitor(shape, Ptr(y, nameof(Unary)), Layout.ContiguousStrides(shape), px, x.Strides);
        ElementwiseDispatch.Unary(op, p0, p1, ref visitor);
    }

    /// <inheritdoc />
    public override void Binary(BinaryOp op, float p0, float p1, int[] shape, StridedView a, StridedView b, DeviceBuffer y)
    {
        CheckView(shape, a, nameof(Binary));
        CheckView(shape, b, nameof(Binary));
        float* pa = Ptr(a.Buffer, nameof(Binary)) + a.Offset;
        float* pb = Ptr(b.Buffer, nameof(Binary)) + b.Offset;
        var visitor = new BinaryVisitor(shape, Ptr(y, nameof(Binary)), Layout.ContiguousStrides(shape), pa, a.Strides, pb, b.Strides);
        ElementwiseDispatch.Binary(op, p0, p1, ref visitor);
    }
}

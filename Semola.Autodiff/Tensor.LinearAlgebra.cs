using Semola.Kernels;

namespace Semola.Autodiff;

public sealed partial class Tensor
{
    /// <summary>A tensor viewed as a batch of matrices, in the form the GEMM kernel takes.</summary>
    private readonly record struct GemmOperand(DeviceBuffer Buffer, int Offset, int Ld, bool Trans, int BatchStride);

    /// <summary>
    /// Describes <paramref name="t"/> ([batch dims..., rows, cols], batch dims already broadcast) for
    /// GEMM without copying when its layout allows (row-major or transposed matrices, uniformly
    /// strided or broadcast batch); otherwise makes a contiguous copy.
    /// </summary>
    private static GemmOperand ToGemmOperand(Tensor t)
    {
        int r = t.Rank;
        int rows = t._shape[r - 2], cols = t._shape[r - 1];
        int sr = t._strides[r - 2], sc = t._strides[r - 1];
        bool rowMajor = sc == 1 || cols == 1;
        bool colMajor = !rowMajor && (sr == 1 || rows == 1);
        int ld = rowMajor ? (rows == 1 ? Math.Max(cols, 1) : sr) : (cols == 1 ? Math.Max(rows, 1) : sc);
        bool ldOk = rowMajor ? ld >= Math.Max(cols, 1) : ld >= Math.Max(rows, 1);
        // Batch dims must collapse to one stride.
        int batchStride = 0;
        bool batchOk = true;
        int lastNonUnit = -1;
        for (int i = 0; i < r - 2; i++)
        {
            if (t._shape[i] == 1)
            {
                continue;
            }
            if (lastNonUnit < 0)
            {
                lastNonUnit = i;
            }
        }
        if (lastNonUnit >= 0)
        {
            int expected = -1;
            for (int i = r - 3; i >= 0; i--)
            {
                if (t._shape[i] == 1)
                {
                    continue;
                }
                if (expected < 0)
                {
                    batchStride = t._strides[i];
                    expected = t._strides[i] * t._shape[i];
                }
                else if (t._strides[i] == expected || (batchStride == 0 && t._strides[i] == 0))
                {
                    expected = t._strides[i] * t._shape[i];
                }
                else
                {
                    batchOk = false;
                    break;
                }
            }
        }
        if ((rowMajor || colMajor) && ldOk && batchOk)
        {
            return new GemmOperand(t.Buffer, t.Offset, ld, colMajor, batchStride);
        }
        var c = t.UnaryRaw(UnaryOp.Identity);
        return new GemmOperand(c.Buffer, 0, Math.Max(cols, 1), false, rows * cols);
    }

    private static Tensor MatMulRaw(Tensor a, Tensor b)
    {
        int ra = a.Rank, rb = b.Rank;
        int m = a._shape[ra - 2], k = a._shape[ra - 1], n = b._shape[rb - 1];
        var batchA = a._shape[..^2];
        var batchB = b._shape[..^2];
        var batch = Broadcast.Shapes(nameof(MatMul), batchA, batchB);
        int count = Layout.Numel(batch);
        var ea = a.AsStrided([.. batch, m, k], [.. Broadcast.Strides(batchA, a._strides[..^2], batch), a._strides[ra - 2], a._strides[ra - 1]], a.Offset);
        var eb = b.AsStrided([.. batch, k, n], [.. Broadcast.Strides(batchB, b._strides[..^2], batch), b._strides[rb - 2], b._strides[rb - 1]], b.Offset);
        var y = Empty([.. batch, m, n], a.Device);
        if (count == 0 || m == 0 || n == 0)
        {
            return y;
        }
        if (k == 0)
        {
            a.Backend.Fill(y.Buffer, 0, y.Numel, 0f);
            return y;
        }
        var oa = ToGemmOperand(ea);
        var ob = ToGemmOperand(eb);
        a.Backend.Gemm(new GemmArgs(count, oa.Trans, ob.Trans, m, n, k, 1f,
            oa.Buffer, oa.Offset, oa.Ld, oa.BatchStride,
            ob.Buffer, ob.Offset, ob.Ld, ob.BatchStride,
            0f, y.Buffer, 0, n, m * n));
        return y;
    }

    /// <summary>
    /// Matrix product over the last two dimensions, batched (with broadcasting) over the leading ones:
    /// [..., m, k] x [..., k, n] -> [..., m, n]. Transposed views are passed to GEMM without copies.
    /// </summary>
    public Tensor MatMul(Tensor other)
    {
        CheckSameDevice(nameof(MatMul), this, other);
        if (Rank < 2 || other.Rank < 2)
        {
            throw new ArgumentException($"MatMul: both operands need at least 2 dimensions, got {ShapeString} and {other.ShapeString}.");
        }
        if (_shape[^1] != other._shape[^2])
        {
            throw new ArgumentException($"MatMul: inner dimensions differ: {ShapeString} x {other.ShapeString}.");
        }
        if (Rank > 2 && other.Rank == 2 && IsContiguous)
        {
            // A batch of rows times one matrix is one large GEMM.
            var flat = Reshape(-1, _shape[^1]).MatMul(other);
            return flat.Reshape([.. _shape[..^1], other._shape[^1]]);
        }
        var y = MatMulRaw(this, other);
        var a = this;
        var b = other;
        return Record(nameof(MatMul), y, [a, b], g =>
            [a._requiresGrad ? MatMulRaw(g, b.Transpose()) : null, b._requiresGrad ? MatMulRaw(a.Transpose(), g) : null]);
    }
}

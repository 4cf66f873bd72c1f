using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Straightforward GEMM built on <see cref="Vector{T}"/>: used for tiny or skinny problems
/// where packing would not pay off, and as the portable path when AVX2/FMA are missing.
/// All matrices are row-major; see <see cref="CpuGemm.Sgemm"/> for the contract.
/// </summary>
internal static unsafe class GemmSimple
{
    [ThreadStatic] private static AlignedBuffer? t_scratch;

    /// <summary>C = alpha * op(A) * op(B) + beta * C over raw pointers. Rows [rowStart, rowEnd) of C only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int rowStart, int rowEnd)
    {
        ScaleRows(c, ldc, n, rowStart, rowEnd, beta);
        if (k == 0 || alpha == 0f)
        {
            return;
        }

        int vw = Vector<float>.Count;
        if (!transB && n >= 2 * vw)
        {
            AxpyForm(transA, k, n, alpha, a, lda, b, ldb, c, ldc, rowStart, rowEnd);
        }
        else if (transA && n < rowEnd - rowStart)
        {
            ColumnForm(transB, n, k, alpha, a, lda, b, ldb, c, ldc, rowStart, rowEnd);
        }
        else
        {
            DotForm(transA, transB, n, k, alpha, a, lda, b, ldb, c, ldc, rowStart, rowEnd);
        }
    }

    /// <summary>Multiplies rows [rowStart,rowEnd) of C by beta; beta == 0 writes zeros (ignoring NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScaleRows(float* c, int ldc, int n, int rowStart, int rowEnd, float beta)
    {
        if (beta == 1f)
        {
            return;
        }

        for (int i = rowStart; i < rowEnd; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f)
            {
                row.Clear();
            }
            else
            {
                ScaleInPlace(c + (long)i * ldc, n, beta);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ScaleInPlace(float* p, int n, float s)
    {
        int vw = Vector<float>.Count;
        var vs = new Vector<float>(s);
        int j = 0;
        for (; j <= n - vw; j += vw)
        {
            Unsafe.WriteUnaligned(p + j, Unsafe.ReadUnaligned<Vector<float>>(p + j) * vs);
        }

        for (; j < n; j++)
        {
            p[j] *= s;
        }
    }

    // C(i,:) += sum_p alpha*A(i,p) * B(p,:), with B rows contiguous. Four k-steps per pass over the C row.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyForm(bool transA, int k, int n, float alpha, float* a, int lda,
        float* b, int ldb, float* c, int ldc, int rowStart, int rowEnd)
    {
        int vw = Vector<float>.Count;
        long sRow = transA ? 1 : lda;
        long sCol = transA ? lda : 1;
        for (int i = rowStart; i < rowEnd; i++)
        {
            float* crow = c + (long)i * ldc;
            float* arow = a + i * sRow;
            int p = 0;
            for (; p <= k - 4; p += 4)
            {
                float a0 = alpha * arow[p * sCol];
                float a1 = alpha * arow[(p + 1) * sCol];
                float a2 = alpha * arow[(p + 2) * sCol];
                float a3 = alpha * arow[(p + 3) * sCol];
                float* b0 = b + (long)p * ldb;
                float* b1 = b0 + ldb;
                float* b2 = b1 + ldb;
                float* b3 = b2 + ldb;
                var va0 = new Vector<float>(a0);
                var va1 = new Vector<float>(a1);
                var va2 = new Vector<float>(a2);
                var va3 = new Vector<float>(a3);
                int j = 0;
                for (; j <= n - vw; j += vw)
                {
                    var acc = Unsafe.ReadUnaligned<Vector<float>>(crow + j);
                    acc += va0 * Unsafe.ReadUnaligned<Vector<float>>(b0 + j);
                    acc += va1 * Unsafe.ReadUnaligned<Vector<float>>(b1 + j);
                    acc += va2 * Unsafe.ReadUnaligned<Vector<float>>(b2 + j);
                    acc += va3 * Unsafe.ReadUnaligned<Vector<float>>(b3 + j);
                    Unsafe.WriteUnaligned(crow + j, acc);
                }

                for (; j < n; j++)
                {
                    crow[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
                }
            }

            for (; p < k; p++)
            {
                float a0 = alpha * arow[p * sCol];
                float* b0 = b + (long)p * ldb;
                var va0 = new Vector<float>(a0);
                int j = 0;
                for (; j <= n - vw; j += vw)
                {
                    var acc = Unsafe.ReadUnaligned<Vector<float>>(crow + j);
                    acc += va0 * Unsafe.ReadUnaligned<Vector<float>>(b0 + j);
                    Unsafe.WriteUnaligned(crow + j, acc);
                }

                for (; j < n; j++)
                {
                    crow[j] += a0 * b0[j];
                }
            }
        }
    }

    // A stored transposed (k x m), few columns of C: C(:,j) += alpha * sum_p op(B)(p,j) * A[p, :],
    // accumulated over contiguous rows of the stored A into a scratch column.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnForm(bool transB, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float* c, int ldc, int rowStart, int rowEnd)
    {
        int rows = rowEnd - rowStart;
        int vw = Vector<float>.Count;
        t_scratch ??= new AlignedBuffer();
        float* acc = t_scratch.Get(rows);
        for (int j = 0; j < n; j++)
        {
            new Span<float>(acc, rows).Clear();
            for (int p = 0; p < k; p++)
            {
                float bv = transB ? b[(long)j * ldb + p] : b[(long)p * ldb + j];
                float* arow = a + (long)p * lda + rowStart;
                var vb = new Vector<float>(bv);
                int i = 0;
                for (; i <= rows - vw; i += vw)
                {
                    Unsafe.WriteUnaligned(acc + i, Unsafe.ReadUnaligned<Vector<float>>(acc + i) + vb * Unsafe.ReadUnaligned<Vector<float>>(arow + i));
                }

                for (; i < rows; i++)
                {
                    acc[i] += bv * arow[i];
                }
            }

            for (int i = 0; i < rows; i++)
            {
                c[(long)(rowStart + i) * ldc + j] += alpha * acc[i];
            }
        }
    }

    // C(i,j) += alpha * dot(A(i,:), B(:,j)); rows of A and columns of B are made contiguous first if needed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotForm(bool transA, bool transB, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float* c, int ldc, int rowStart, int rowEnd)
    {
        t_scratch ??= new AlignedBuffer();
        long need = (transB ? 0 : (long)n * k) + (transA ? k : 0);
        float* scratch = t_scratch.Get(Math.Max(need, 1));

        float* bt = b;
        long ldbt = ldb;
        if (!transB)
        {
            // Gather op(B) columns into rows of length k.
            bt = scratch;
            ldbt = k;
            for (int p = 0; p < k; p++)
            {
                float* src = b + (long)p * ldb;
                for (int j = 0; j < n; j++)
                {
                    bt[(long)j * k + p] = src[j];
                }
            }
        }

        float* arowBuf = scratch + (transB ? 0 : (long)n * k);
        for (int i = rowStart; i < rowEnd; i++)
        {
            float* arow;
            if (transA)
            {
                arow = arowBuf;
                for (int p = 0; p < k; p++)
                {
                    arow[p] = a[(long)p * lda + i];
                }
            }
            else
            {
                arow = a + (long)i * lda;
            }

            float* crow = c + (long)i * ldc;
            for (int j = 0; j < n; j++)
            {
                crow[j] += alpha * Dot(arow, bt + j * ldbt, k);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* x, float* y, int k)
    {
        int vw = Vector<float>.Count;
        var s0 = Vector<float>.Zero;
        var s1 = Vector<float>.Zero;
        var s2 = Vector<float>.Zero;
        var s3 = Vector<float>.Zero;
        int p = 0;
        for (; p <= k - 4 * vw; p += 4 * vw)
        {
            s0 += Unsafe.ReadUnaligned<Vector<float>>(x + p) * Unsafe.ReadUnaligned<Vector<float>>(y + p);
            s1 += Unsafe.ReadUnaligned<Vector<float>>(x + p + vw) * Unsafe.ReadUnaligned<Vector<float>>(y + p + vw);
            s2 += Unsafe.ReadUnaligned<Vector<float>>(x + p + 2 * vw) * Unsafe.ReadUnaligned<Vector<float>>(y + p + 2 * vw);
            s3 += Unsafe.ReadUnaligned<Vector<float>>(x + p + 3 * vw) * Unsafe.ReadUnaligned<Vector<float>>(y + p + 3 * vw);
        }

        for (; p <= k - vw; p += vw)
        {
            s0 += Unsafe.ReadUnaligned<Vector<float>>(x + p) * Unsafe.ReadUnaligned<Vector<float>>(y + p);
        }

        float sum = Vector.Sum((s0 + s1) + (s2 + s3));
        for (; p < k; p++)
        {
            sum += x[p] * y[p];
        }

        return sum;
    }
}

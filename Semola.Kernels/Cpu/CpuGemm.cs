namespace Semola.Kernels.Cpu;

/// <summary>Placeholder reference GEMM (replaced by the blocked kernel).</summary>
public static class CpuGemm
{
    /// <summary>C = alpha op(A) op(B) + beta C, row-major.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }
                c[i * ldc + j] = beta == 0f ? alpha * (float)s : alpha * (float)s + beta * c[i * ldc + j];
            }
        }
    }

    /// <summary>Batched form with element strides between matrices (0 = broadcast).</summary>
    public static void SgemmBatched(int batch, bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, long strideA, ReadOnlySpan<float> b, int ldb, long strideB, float beta, Span<float> c, int ldc, long strideC)
    {
        for (int i = 0; i < batch; i++)
        {
            Sgemm(transA, transB, m, n, k, alpha, a.Slice((int)(i * strideA)), lda, b.Slice((int)(i * strideB)), ldb, beta, c.Slice((int)(i * strideC)), ldc);
        }
    }
}

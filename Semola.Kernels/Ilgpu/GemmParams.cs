namespace Semola.Kernels.Ilgpu;

/// <summary>The scalar arguments of one batched GEMM launch (see <see cref="GemmArgs"/>).</summary>
internal struct GemmParams
{
    public int M, N, K, Lda, Ldb, Ldc;
    public int OffsetA, OffsetB, OffsetC;
    public int StrideA, StrideB, StrideC;
    public int BatchStart;
    public int TransA, TransB;
    public float Alpha, Beta;
}

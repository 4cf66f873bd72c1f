namespace Semola.Kernels;

/// <summary>
/// A batched row-major GEMM: for each batch b, C_b = alpha * op(A_b) * op(B_b) + beta * C_b, where op
/// transposes when asked. A_b starts at OffsetA + b * StrideA (a stride of 0 reuses one matrix).
/// </summary>
public readonly record struct GemmArgs(
    int Batch, bool TransA, bool TransB, int M, int N, int K, float Alpha,
    DeviceBuffer A, int OffsetA, int Lda, int StrideA,
    DeviceBuffer B, int OffsetB, int Ldb, int StrideB,
    float Beta,
    DeviceBuffer C, int OffsetC, int Ldc, int StrideC);

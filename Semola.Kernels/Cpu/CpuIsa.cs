namespace Semola.Kernels.Cpu;

/// <summary>
/// The instruction-set path the CPU kernels run on, from the most portable to the widest.
/// <see cref="CpuFeatures"/> picks the best one the processor has; the <c>SEMOLA_ISA</c>
/// environment variable can force a lower one.
/// </summary>
public enum CpuIsa
{
    /// <summary>Portable <c>System.Numerics.Vector&lt;T&gt;</c> loops, on any processor.</summary>
    Portable = 0,

    /// <summary>x86 AVX2 + FMA: packed GEMM with a 6x16 register tile of 256-bit vectors.</summary>
    Avx2 = 1,

    /// <summary>x86 AVX-512 (F): packed GEMM with a 12x32 register tile of 512-bit vectors.</summary>
    Avx512 = 2,
}

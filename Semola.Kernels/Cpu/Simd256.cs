using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>Lane shuffles of 256-bit float vectors shared by the AVX2 kernels.</summary>
internal static class Simd256
{
    /// <summary>The even elements of the 16 floats (a, b) in order: (a0 a2 b0 b2 | a4 a6 b4 b6) by an in-lane shuffle, then the middle 64-bit pairs swapped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Evens(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>The odd elements of the 16 floats (a, b) in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Odds(Vector256<float> a, Vector256<float> b) =>
        Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>(a0 b0 a1 b1 ... a3 b3) and (a4 b4 ... a7 b7): the inverse of <see cref="Evens"/> and <see cref="Odds"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Interleave(Vector256<float> a, Vector256<float> b, out Vector256<float> lo, out Vector256<float> hi)
    {
        var l = Avx.UnpackLow(a, b);
        var h = Avx.UnpackHigh(a, b);
        lo = Avx.Permute2x128(l, h, 0x20);
        hi = Avx.Permute2x128(l, h, 0x31);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Winograd F(2x2, 3x3) on the AVX2 path: the same drivers and layout as the AVX-512 path
/// (<see cref="WinogradForward{T}"/>), with the transforms on 8 tiles per 256-bit vector and the 16
/// products through the AVX2 GEMM (<see cref="GemmPacked"/>), the forward ones reading the
/// transformed input in place. The four patch columns of 8 neighbouring tiles are four masked loads
/// (<c>vmaskmovps</c>, which zeroes the padding and the columns past the edge without touching them)
/// and a de-interleave: an in-lane shuffle and a cross-lane permute. With 8 tiles per vector a 28-wide plane (14 tiles per row) takes two vectors
/// and a 14-wide one (7 tiles) one, so no tile rows are grouped. The transform arithmetic mirrors
/// the AVX-512 path's line for line: .NET's 256- and 512-bit vector types share no public arithmetic
/// interface, so one generic body cannot serve both.
/// </summary>
public static unsafe partial class CpuConv2d
{
    private readonly struct Wino256 : IWinoIsa
    {
        public static int Tiles => 8;

        public static bool Grouped => false;

        public static long PackedUSize(int cout, int c) => GemmPacked.PackedASize(cout, c);

        public static void PackU(int cout, int c, float* raw, float* dst) => GemmPacked.PackAll(false, cout, c, raw, c, dst);

        public static int ForwardLd(int tiles) => ((tiles + 7) / 8 * 8) + 8;

        public static void ForwardProduct(int cout, int tiles, int c, float* packedU, float* v, int ld, float* m) =>
            GemmPacked.RunPackedA(cout, tiles, c, packedU, v, ld, m, tiles);

        public static int WeightLd(int tiles) => ForwardLd(tiles);

        public static void WeightProduct(int cout, int c, int tiles, float* v, float* dm, int ld, float* du, bool accumulate) =>
            GemmPacked.Run(false, true, cout, c, tiles, 1f, dm, ld, v, ld, accumulate ? 1f : 0f, du, c);

        public static void InputTransformRun(float* plane, int h, int w, int ty0, int ty1, int tx0, float* dst, int rowTiles, long stride) =>
            InputTransformRun256(plane, h, w, ty0, ty1, tx0, dst, rowTiles, stride);

        public static void OutputTransform(float* m, long stride, float* plane, int h, int w, int ty, int tx0) =>
            OutputTransform256(m, stride, plane, h, w, ty, tx0);

        public static void OutputGradientTransform(float* plane, int h, int w, int ty, int tx0, float* dst, long stride) =>
            OutputGradientTransform256(plane, h, w, ty, tx0, dst, stride);
    }

    // Lanes of a masked load of 8 floats starting at column col0 of a row of width w that lie inside it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ColumnMask256(int col0, int w)
    {
        var cols = Vector256.Create(col0) + Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        return (Vector256.GreaterThanOrEqual(cols, Vector256<int>.Zero) & Vector256.LessThan(cols, Vector256.Create(w))).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* dst, int xi, long stride, Vector256<float> value) => value.Store(dst + (xi * stride));

    /// <summary>As <see cref="InputTransformRun"/> for tiles tx0 .. tx0 + 7 (one 256-bit vector).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTransformRun256(float* plane, int h, int w, int ty0, int ty1, int tx0, float* dst, int rowTiles, long stride)
    {
        int c0 = (2 * tx0) - 1;
        var mA = ColumnMask256(c0, w);
        var mB = ColumnMask256(c0 + 8, w);
        var mC = ColumnMask256(c0 + 2, w);
        var mD = ColumnMask256(c0 + 10, w);
        int row = (2 * ty0) - 1;
        PatchRow256(plane, row, h, w, c0, mA, mB, mC, mD, out var w00, out var w01, out var w02, out var w03);
        PatchRow256(plane, row + 1, h, w, c0, mA, mB, mC, mD, out var w10, out var w11, out var w12, out var w13);
        for (int ty = ty0; ty < ty1; ty++, dst += rowTiles)
        {
            row = (2 * ty) + 1;
            PatchRow256(plane, row, h, w, c0, mA, mB, mC, mD, out var w20, out var w21, out var w22, out var w23);
            PatchRow256(plane, row + 1, h, w, c0, mA, mB, mC, mD, out var w30, out var w31, out var w32, out var w33);

            // B^T (d B): rows (r0 - r2, r1 + r2, r2 - r1, r1 - r3).
            Put(dst, 0, stride, w00 - w20); Put(dst, 1, stride, w01 - w21); Put(dst, 2, stride, w02 - w22); Put(dst, 3, stride, w03 - w23);
            Put(dst, 4, stride, w10 + w20); Put(dst, 5, stride, w11 + w21); Put(dst, 6, stride, w12 + w22); Put(dst, 7, stride, w13 + w23);
            Put(dst, 8, stride, w20 - w10); Put(dst, 9, stride, w21 - w11); Put(dst, 10, stride, w22 - w12); Put(dst, 11, stride, w23 - w13);
            Put(dst, 12, stride, w10 - w30); Put(dst, 13, stride, w11 - w31); Put(dst, 14, stride, w12 - w32); Put(dst, 15, stride, w13 - w33);
            w00 = w20; w01 = w21; w02 = w22; w03 = w23;
            w10 = w30; w11 = w31; w12 = w32; w13 = w33;
        }
    }

    // One patch row of 8 tiles times B, as PatchRow: columns c0 .. c0 + 15 and c0 + 2 .. c0 + 17 split
    // into the tiles' columns 0..3 (p0..p3), the row is (p0 - p2, p1 + p2, p2 - p1, p1 - p3).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PatchRow256(float* plane, int row, int h, int w, int c0, Vector256<float> mA, Vector256<float> mB,
        Vector256<float> mC, Vector256<float> mD, out Vector256<float> t0, out Vector256<float> t1, out Vector256<float> t2, out Vector256<float> t3)
    {
        if ((uint)row >= (uint)h)
        {
            t0 = t1 = t2 = t3 = Vector256<float>.Zero;
            return;
        }

        float* src = plane + ((long)row * w) + c0;
        var a = Avx.MaskLoad(src, mA);
        var b = Avx.MaskLoad(src + 8, mB);
        var cc = Avx.MaskLoad(src + 2, mC);
        var dd = Avx.MaskLoad(src + 10, mD);
        var p0 = Simd256.Evens(a, b);
        var p1 = Simd256.Odds(a, b);
        var p2 = Simd256.Evens(cc, dd);
        var p3 = Simd256.Odds(cc, dd);
        t0 = p0 - p2;
        t1 = p1 + p2;
        t2 = p2 - p1;
        t3 = p1 - p3;
    }

    /// <summary>As <see cref="OutputTransform"/> for 8 tiles: Y = A^T M A into rows 2 ty and 2 ty + 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransform256(float* m, long stride, float* plane, int h, int w, int ty, int tx0)
    {
        // A^T M has rows (m0 + m1 + m2, m1 - m2 - m3) of the 4x4 M, (A^T M) A columns (s0 + s1 + s2, s1 - s2 - s3).
        var m4 = Vector256.Load(m + (4 * stride));
        var m5 = Vector256.Load(m + (5 * stride));
        var m6 = Vector256.Load(m + (6 * stride));
        var m7 = Vector256.Load(m + (7 * stride));
        var m8 = Vector256.Load(m + (8 * stride));
        var m9 = Vector256.Load(m + (9 * stride));
        var m10 = Vector256.Load(m + (10 * stride));
        var m11 = Vector256.Load(m + (11 * stride));
        var s00 = Vector256.Load(m) + m4 + m8;
        var s01 = Vector256.Load(m + stride) + m5 + m9;
        var s02 = Vector256.Load(m + (2 * stride)) + m6 + m10;
        var s03 = Vector256.Load(m + (3 * stride)) + m7 + m11;
        var s10 = m4 - m8 - Vector256.Load(m + (12 * stride));
        var s11 = m5 - m9 - Vector256.Load(m + (13 * stride));
        var s12 = m6 - m10 - Vector256.Load(m + (14 * stride));
        var s13 = m7 - m11 - Vector256.Load(m + (15 * stride));
        Simd256.Interleave(s00 + s01 + s02, s01 - s02 - s03, out var lo0, out var hi0);
        Simd256.Interleave(s10 + s11 + s12, s11 - s12 - s13, out var lo1, out var hi1);

        int col0 = 2 * tx0;
        int row = 2 * ty;
        float* dst = plane + ((long)row * w) + col0;
        bool second = row + 1 < h;
        if (col0 + 16 <= w)
        {
            lo0.Store(dst);
            hi0.Store(dst + 8);
            if (second)
            {
                lo1.Store(dst + w);
                hi1.Store(dst + w + 8);
            }

            return;
        }

        var mLo = ColumnMask256(col0, w);
        var mHi = ColumnMask256(col0 + 8, w);
        Avx.MaskStore(dst, mLo, lo0);
        Avx.MaskStore(dst + 8, mHi, hi0);
        if (second)
        {
            Avx.MaskStore(dst + w, mLo, lo1);
            Avx.MaskStore(dst + w + 8, mHi, hi1);
        }
    }

    /// <summary>As <see cref="OutputGradientTransform"/> for 8 tiles: dM = A dY A^T (zero past the edges).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputGradientTransform256(float* plane, int h, int w, int ty, int tx0, float* dst, long stride)
    {
        int col0 = 2 * tx0;
        var mLo = ColumnMask256(col0, w);
        var mHi = ColumnMask256(col0 + 8, w);
        int row = 2 * ty;
        float* src = plane + ((long)row * w) + col0;
        var a = Avx.MaskLoad(src, mLo);
        var b = Avx.MaskLoad(src + 8, mHi);
        var y00 = Simd256.Evens(a, b);
        var y01 = Simd256.Odds(a, b);
        Vector256<float> y10, y11;
        if (row + 1 < h)
        {
            a = Avx.MaskLoad(src + w, mLo);
            b = Avx.MaskLoad(src + w + 8, mHi);
            y10 = Simd256.Evens(a, b);
            y11 = Simd256.Odds(a, b);
        }
        else
        {
            y10 = y11 = Vector256<float>.Zero;
        }

        // dY A^T has per row p the columns (y_p0, y_p0 + y_p1, y_p0 - y_p1, -y_p1), and A (dY A^T) the
        // rows (e0, e0 + e1, e0 - e1, -e1).
        var e01 = y00 + y01;
        var e02 = y00 - y01;
        var e03 = -y01;
        var e11 = y10 + y11;
        var e12 = y10 - y11;
        var e13 = -y11;
        Put(dst, 0, stride, y00); Put(dst, 1, stride, e01); Put(dst, 2, stride, e02); Put(dst, 3, stride, e03);
        Put(dst, 4, stride, y00 + y10); Put(dst, 5, stride, e01 + e11); Put(dst, 6, stride, e02 + e12); Put(dst, 7, stride, e03 + e13);
        Put(dst, 8, stride, y00 - y10); Put(dst, 9, stride, e01 - e11); Put(dst, 10, stride, e02 - e12); Put(dst, 11, stride, e03 - e13);
        Put(dst, 12, stride, -y10); Put(dst, 13, stride, -e11); Put(dst, 14, stride, -e12); Put(dst, 15, stride, -e13);
    }
}

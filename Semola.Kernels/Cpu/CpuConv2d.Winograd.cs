using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Winograd F(2x2, 3x3) convolution on the AVX-512 path (and, through the same drivers, on the AVX2
/// path: <see cref="Wino256"/>), for 3x3 kernels with stride 1 and padding 1
/// (every convolution of the base CNN but the first): the output is cut into 2x2 tiles, each read from
/// a 4x4 input patch. With d a patch, g a 3x3 filter and Y a 2x2 output tile,
/// <code>
/// V = B^T d B,  U = G g G^T,  M = sum over input channels of U (.) V,  Y = A^T M A
/// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]
/// A^T = [1 1 1 0; 0 1 -1 -1]
/// </code>
/// so the channel sum becomes 16 matrix products (one per position xi of the 4x4 transform) of
/// [Cout x C] by [C x tiles]: 16 multiplications per tile and channel pair instead of 36, 2.25 times
/// fewer. The gradients follow from linearity: dM = A dY A^T, dU = sum over tiles of dM (.) V (16
/// products with the tiles as the inner dimension) and dg = G^T dU G; the input gradient is the same
/// convolution of dY with the flipped, channel-transposed weight (<see cref="BackwardInput"/>).
/// <para>
/// Work is done in chunks of whole tile rows sized so that a chunk's transformed input and product
/// stay in the per-core L2 cache. The transforms run on 16 tiles at once: the four patch columns of
/// 16 neighbouring tiles are two masked loads and a de-interleave (the mask zeroes the padding and
/// the columns past the edge); planes up to 16 wide put two or four tile rows in one vector
/// (<see cref="WinoGroups"/>). Transformed data is stored row-major ([position][channel][tile]) and
/// the GEMM micro-kernels read it in place (<see cref="GemmPacked512.RunPackedA"/>,
/// <see cref="GemmPacked512.RunInPlace"/>). The coefficients are 0, +-1 and +-1/2, so the result
/// differs from the direct product only by float rounding.
/// </para>
/// <para>
/// <c>SEMOLA_WINOGRAD=0</c> turns the path off (every convolution then lowers to a GEMM), e.g. to
/// compare the two in one build; tests switch it per thread.
/// </para>
/// </summary>
[SkipLocalsInit]
public static unsafe partial class CpuConv2d
{
    /// <summary>Name of the environment variable that turns the Winograd path off when set to 0.</summary>
    public const string WinogradVariable = "SEMOLA_WINOGRAD";

    private const int WinoTiles = 16;   // tiles per vector (one Vector512 of floats)
    private const int WinoPositions = 16;
    private const int WinoSkew = 48;   // floats between the positions' blocks beyond a multiple of 16

    private static bool? s_winogradEnabled;

    [ThreadStatic] private static bool? t_winogradOverride;
    [ThreadStatic] private static AlignedBuffer? t_winoU;
    [ThreadStatic] private static AlignedBuffer? t_winoV;
    [ThreadStatic] private static AlignedBuffer? t_winoM;
    [ThreadStatic] private static AlignedBuffer? t_winoPartial;
    [ThreadStatic] private static AlignedBuffer? t_winoT;
    [ThreadStatic] private static AlignedBuffer? t_winoA;

    /// <summary>Whether the Winograd F(2x2, 3x3) path is switched on (<c>SEMOLA_WINOGRAD</c>, default on); it runs on the AVX-512 and AVX2 paths.</summary>
    /// <exception cref="InvalidOperationException"><c>SEMOLA_WINOGRAD</c> holds a value other than 0/1 (off/on).</exception>
    public static bool WinogradEnabled => t_winogradOverride ?? (s_winogradEnabled ??= ParseWinograd(Environment.GetEnvironmentVariable(WinogradVariable)));

    internal static bool ParseWinograd(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        return value.Trim().ToLowerInvariant() switch
        {
            "0" or "off" or "false" or "no" => false,
            "1" or "on" or "true" or "yes" => true,
            _ => throw new InvalidOperationException(
                $"{WinogradVariable}='{value}' is not understood: use 0 (off) or 1 (on, the default)."),
        };
    }

    /// <summary>Turns the Winograd path on or off for kernels called on this thread until disposed (tests).</summary>
    internal static IDisposable OverrideWinograd(bool enabled)
    {
        var previous = t_winogradOverride;
        t_winogradOverride = enabled;
        return new WinogradRestore(previous);
    }

    private sealed class WinogradRestore(bool? previous) : IDisposable
    {
        public void Dispose() => t_winogradOverride = previous;
    }

    /// <summary>Whether the <paramref name="isa"/> path runs 3x3 stride-1 padding-1 convolutions (with at least 8 channels each side) through Winograd F(2x2, 3x3) in this process: AVX-512 and AVX2, unless <c>SEMOLA_WINOGRAD=0</c>.</summary>
    /// <exception cref="InvalidOperationException"><c>SEMOLA_WINOGRAD</c> holds a value other than 0/1 (off/on).</exception>
    public static bool UsesWinograd(CpuIsa isa) => (isa is CpuIsa.Avx512 or CpuIsa.Avx2) && WinogradEnabled;

    // 3x3, stride 1, padding 1, enough channels on both sides for the 16 products to pay, and one
    // k block of the packed product (C <= KC).
    private static bool UsesWinograd(CpuIsa isa, in ConvGeometry g, int cout) =>
        UsesWinograd(isa) && g.KH == 3 && g.KW == 3 && g.SH == 1 && g.SW == 1
        && g.PH == 1 && g.PW == 1 && g.C >= 8 && cout >= 8 && g.C <= (isa == CpuIsa.Avx512 ? GemmPacked512.KC : GemmPacked.KC);

    // Tile rows per chunk: the transformed input and the product of a chunk (16 (C + Cout) floats per
    // tile) in about three quarters of the L2 cache, at least one tile row.
    private static int WinoRowsPerChunk(int c, int cout, int tilesPerRow)
    {
        long budget = Math.Max(CpuFeatures.L2CacheBytes / 4 * 3, 256L * 1024) / sizeof(float);
        long perTile = (long)WinoPositions * (c + cout);
        long tiles = Math.Max(32, budget / perTile);
        return (int)Math.Max(1, tiles / tilesPerRow);
    }

    /// <summary>y = conv(x, weight) for a 3x3, stride-1, padding-1 convolution through Winograd F(2x2, 3x3).</summary>
    private static void WinogradForward(CpuIsa isa, in ConvGeometry g, float* x, float* weight, int cout, float* y)
    {
        if (isa == CpuIsa.Avx512)
        {
            WinogradForward<Wino512>(g, x, weight, cout, y);
        }
        else
        {
            WinogradForward<Wino256>(g, x, weight, cout, y);
        }
    }

    private static void WinogradForward<T>(in ConvGeometry g, float* x, float* weight, int cout, float* y)
        where T : struct, IWinoIsa
    {
        int c = g.C;
        int th = (g.H + 1) / 2, tw = (g.W + 1) / 2;
        int rowsPerChunk = WinoRowsPerChunk(c, cout, tw);
        int totalRows = g.N * th;
        int chunks = (totalRows + rowsPerChunk - 1) / rowsPerChunk;

        // U = G g G^T for every (co, ci), packed once per position as the GEMM's A operand.
        long uStride = T.PackedUSize(cout, c);
        float* packed = Scratch(ref t_winoU, (WinoPositions * uStride) + ((long)WinoPositions * cout * c));
        float* raw = packed + (WinoPositions * uStride);
        TransformWeights(weight, cout, c, raw);
        for (int xi = 0; xi < WinoPositions; xi++)
        {
            T.PackU(cout, c, raw + ((long)xi * cout * c), packed + (xi * uStride));
        }

        var geo = g;
        nint ix = (nint)x, iy = (nint)y, iu = (nint)packed;
        WorkQueue.Run(Math.Min(CpuGemm.MaxThreads, chunks), chunks, (_, chunk) =>
        {
            int r0 = chunk * rowsPerChunk;
            int r1 = Math.Min(totalRows, r0 + rowsPerChunk);
            WinogradForwardChunk<T>(geo, (float*)ix, r0, r1, cout, (float*)iu, uStride, (float*)iy);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradForwardChunk<T>(in ConvGeometry g, float* x, int r0, int r1, int cout, float* packedU, long uStride, float* y)
        where T : struct, IWinoIsa
    {
        int c = g.C;
        int th = (g.H + 1) / 2, tw = (g.W + 1) / 2;
        int tiles = (r1 - r0) * tw;
        // Row-major [xi][ci][tile] with rows of ld floats: T.Tiles are stored at once (the lanes past
        // a tile row's end land on the next row's first tiles and are overwritten by them). The 16
        // positions' blocks are skewed by a few cache lines so that they do not all map to the same
        // L1 sets.
        int ld = T.ForwardLd(tiles);
        long vStride = ((long)c * ld) + WinoSkew;
        long mStride = (((long)cout * tiles) + 15) / 16 * 16 + WinoSkew;
        float* v = Scratch(ref t_winoV, WinoPositions * vStride);
        float* m = Scratch(ref t_winoM, (WinoPositions * mStride) + T.Tiles);
        int segments = (tw + T.Tiles - 1) / T.Tiles;

        TransformInputs<T>(g, x, r0, r1, v, ld, vStride);

        for (int xi = 0; xi < WinoPositions; xi++)
        {
            T.ForwardProduct(cout, tiles, c, packedU + (xi * uStride), v + (xi * vStride), ld, m + (xi * mStride));
        }

        // Output transform: Y = A^T M A for a vector of tiles at once, interleaved back into image rows.
        long outPlane = g.OutPlane;
        var groups = GroupsFor<T>(g.W);
        float** planes = stackalloc float*[4];
        int* tys = stackalloc int[4];
        for (int co = 0; co < cout; co++)
        {
            if (groups is not null)
            {
                for (int r = r0; r < r1; r += groups.Count)
                {
                    int count = GroupRows(r, Math.Min(groups.Count, r1 - r), th, y, cout, co, outPlane, planes, tys);

                    OutputTransformGrouped(groups, m + ((long)co * tiles) + ((r - r0) * tw), mStride, planes, tys, count, g.H, g.W);
                }

                continue;
            }

            for (int r = r0; r < r1; r++)
            {
                int a = r / th, ty = r - (a * th);
                float* yPlane = y + ((((long)a * cout) + co) * outPlane);
                long jRow = ((long)co * tiles) + ((r - r0) * tw);
                for (int s = 0; s < segments; s++)
                {
                    int tx0 = s * T.Tiles;
                    T.OutputTransform(m + jRow + tx0, mStride, yPlane, g.H, g.W, ty, tx0);
                }
            }
        }
    }

    // The transformed input of tile rows [r0, r1) of every channel into rows of ld floats,
    // [xi][ci][tile] (xi blocks vStride apart).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformInputs<T>(in ConvGeometry g, float* x, int r0, int r1, float* v, int ld, long vStride)
        where T : struct, IWinoIsa
    {
        int c = g.C;
        int th = (g.H + 1) / 2, tw = (g.W + 1) / 2;
        int segments = (tw + T.Tiles - 1) / T.Tiles;
        var groups = GroupsFor<T>(g.W);
        float** planes = stackalloc float*[4];
        int* tys = stackalloc int[4];
        for (int ci = 0; ci < c; ci++)
        {
            if (groups is not null)
            {
                for (int r = r0; r < r1; r += groups.Count)
                {
                    int count = GroupRows(r, Math.Min(groups.Count, r1 - r), th, x, c, ci, g.InPlane, planes, tys);

                    InputTransformGrouped(groups, planes, tys, count, g.H, g.W, v + ((long)ci * ld) + ((r - r0) * tw), vStride);
                }

                continue;
            }

            // Runs of tile rows of one image: consecutive tile rows share two patch rows. A run's
            // segments go last first: only the last one's lanes spill past the row's end, onto the
            // next row's first segment, which is written after them.
            for (int r = r0; r < r1;)
            {
                int a = r / th, ty = r - (a * th);
                int end = Math.Min(r1, (a + 1) * th);
                float* plane = x + ((((long)a * c) + ci) * g.InPlane);
                float* dst = v + ((long)ci * ld) + ((r - r0) * tw);
                for (int s = segments - 1; s >= 0; s--)
                {
                    T.InputTransformRun(plane, g.H, g.W, ty, ty + (end - r), s * T.Tiles, dst + (s * T.Tiles), tw, vStride);
                }

                r = end;
            }
        }
    }

    /// <summary>
    /// V = B^T d B for tiles tx0 .. tx0 + 15 of tile rows [ty0, ty1) of one input plane [h, w]:
    /// position xi = 4 i + j of tile row ty0 + k (lane t for tile tx0 + t) goes to
    /// dst + k * rowTiles + xi * stride. The last two patch rows of a tile row are the first two of the
    /// next, so each input row is loaded and split once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTransformRun(float* plane, int h, int w, int ty0, int ty1, int tx0, float* dst, int rowTiles, long stride)
    {
        // Patch columns of tile tx: 2 tx - 1 .. 2 tx + 2. Loads from column c0 = 2 tx0 - 1 give the
        // columns 0 and 1 of 16 patches (even and odd elements), loads from c0 + 2 columns 2 and 3.
        int c0 = (2 * tx0) - 1;
        var mA = ColumnMask(c0, w);
        var mB = ColumnMask(c0 + 16, w);
        var mC = ColumnMask(c0 + 2, w);
        var mD = ColumnMask(c0 + 18, w);
        int row = (2 * ty0) - 1;
        PatchRow(plane, row, h, w, c0, mA, mB, mC, mD, out var w00, out var w01, out var w02, out var w03);
        PatchRow(plane, row + 1, h, w, c0, mA, mB, mC, mD, out var w10, out var w11, out var w12, out var w13);
        for (int ty = ty0; ty < ty1; ty++, dst += rowTiles)
        {
            row = (2 * ty) + 1;
            PatchRow(plane, row, h, w, c0, mA, mB, mC, mD, out var w20, out var w21, out var w22, out var w23);
            PatchRow(plane, row + 1, h, w, c0, mA, mB, mC, mD, out var w30, out var w31, out var w32, out var w33);

            // B^T (d B): rows (r0 - r2, r1 + r2, r2 - r1, r1 - r3).
            Put(dst, 0, stride, w00 - w20); Put(dst, 1, stride, w01 - w21); Put(dst, 2, stride, w02 - w22); Put(dst, 3, stride, w03 - w23);
            Put(dst, 4, stride, w10 + w20); Put(dst, 5, stride, w11 + w21); Put(dst, 6, stride, w12 + w22); Put(dst, 7, stride, w13 + w23);
            Put(dst, 8, stride, w20 - w10); Put(dst, 9, stride, w21 - w11); Put(dst, 10, stride, w22 - w12); Put(dst, 11, stride, w23 - w13);
            Put(dst, 12, stride, w10 - w30); Put(dst, 13, stride, w11 - w31); Put(dst, 14, stride, w12 - w32); Put(dst, 15, stride, w13 - w33);
            w00 = w20; w01 = w21; w02 = w22; w03 = w23;
            w10 = w30; w11 = w31; w12 = w32; w13 = w33;
        }
    }

    /// <summary>dw = gradient of a 3x3, stride-1, padding-1 convolution's weight, through Winograd F(2x2, 3x3).</summary>
    private static void WinogradBackwardWeight(CpuIsa isa, in ConvGeometry g, float* x, float* dy, int cout, float* dw)
    {
        if (isa == CpuIsa.Avx512)
        {
            WinogradBackwardWeight<Wino512>(g, x, dy, cout, dw);
        }
        else
        {
            WinogradBackwardWeight<Wino256>(g, x, dy, cout, dw);
        }
    }

    private static void WinogradBackwardWeight<T>(in ConvGeometry g, float* x, float* dy, int cout, float* dw)
        where T : struct, IWinoIsa
    {
        int c = g.C;
        int th = (g.H + 1) / 2, tw = (g.W + 1) / 2;
        int rowsPerChunk = WinoRowsPerChunk(c, cout, tw);
        int groups = Math.Min(g.N, WeightGradGroups);
        long uLen = (long)WinoPositions * cout * c;
        float* partials = Scratch(ref t_winoPartial, (groups + 1) * uLen);
        var geo = g;
        nint ix = (nint)x, idy = (nint)dy, ip = (nint)partials;

        // The batch is cut into a fixed number of groups of whole images, each summed into its own
        // slice (see BackwardWeight): the result does not depend on which worker ran which group.
        WorkQueue.Run(Math.Min(CpuGemm.MaxThreads, groups), groups, (_, gi) =>
        {
            int start = (int)((long)geo.N * gi / groups);
            int end = (int)((long)geo.N * (gi + 1) / groups);
            float* acc = (float*)ip + (gi * uLen);
            bool started = false;
            for (int r0 = start * th; r0 < end * th; r0 += rowsPerChunk)
            {
                int r1 = Math.Min(end * th, r0 + rowsPerChunk);
                WinogradWeightChunk<T>(geo, (float*)ix, (float*)idy, r0, r1, cout, acc, started);
                started = true;
            }
        });

        float* total = partials + (groups * uLen);
        SumGroups(partials, groups, uLen, total);
        TransformWeightGradient(total, cout, c, dw);
    }

    // total[i] = sum over groups of partials[group][i], added in group order (so the result does not
    // depend on the vector width), 8 elements at a time; this runs on the calling thread alone.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumGroups(float* partials, int groups, long length, float* total)
    {
        long i = 0;
        for (; i <= length - 8; i += 8)
        {
            var sum = Vector256.Load(partials + i);
            for (int gi = 1; gi < groups; gi++)
            {
                sum += Vector256.Load(partials + (gi * length) + i);
            }

            sum.Store(total + i);
        }

        for (; i < length; i++)
        {
            float sum = partials[i];
            for (int gi = 1; gi < groups; gi++)
            {
                sum += partials[(gi * length) + i];
            }

            total[i] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WinogradWeightChunk<T>(in ConvGeometry g, float* x, float* dy, int r0, int r1, int cout, float* acc, bool accumulate)
        where T : struct, IWinoIsa
    {
        int c = g.C;
        int th = (g.H + 1) / 2, tw = (g.W + 1) / 2;
        int tiles = (r1 - r0) * tw;
        int ld = T.WeightLd(tiles);
        long vStride = ((long)c * ld) + WinoSkew;
        long mStride = ((long)cout * ld) + WinoSkew;
        float* v = Scratch(ref t_winoV, WinoPositions * vStride);
        float* dm = Scratch(ref t_winoM, WinoPositions * mStride);
        int segments = (tw + T.Tiles - 1) / T.Tiles;

        // Row-major [xi][channel][tile]: T.Tiles are stored at once; the lanes past a tile row's end
        // land on the next row's first tiles and are overwritten by them (rows are written in order).
        TransformInputs<T>(g, x, r0, r1, v, ld, vStride);

        long outPlane = g.OutPlane;
        var groups = GroupsFor<T>(g.W);
        float** planes = stackalloc float*[4];
        int* tys = stackalloc int[4];
        for (int co = 0; co < cout; co++)
        {
            if (groups is not null)
            {
                for (int r = r0; r < r1; r += groups.Count)
                {
                    int count = GroupRows(r, Math.Min(groups.Count, r1 - r), th, dy, cout, co, outPlane, planes, tys);

                    OutputGradientTransformGrouped(groups, planes, tys, count, g.H, g.W, dm + ((long)co * ld) + ((r - r0) * tw), mStride);
                }

                continue;
            }

            for (int r = r0; r < r1; r++)
            {
                int a = r / th, ty = r - (a * th);
                float* plane = dy + ((((long)a * cout) + co) * outPlane);
                float* dst = dm + ((long)co * ld) + ((r - r0) * tw);
                for (int s = 0; s < segments; s++)
                {
                    T.OutputGradientTransform(plane, g.H, g.W, ty, s * T.Tiles, dst + (s * T.Tiles), mStride);
                }
            }
        }

        // dU_xi [Cout x C] (+)= dM_xi [Cout x tiles] * V_xi^T.
        for (int xi = 0; xi < WinoPositions; xi++)
        {
            T.WeightProduct(cout, c, tiles, v + (xi * vStride), dm + (xi * mStride), ld, acc + ((long)xi * cout * c), accumulate);
        }
    }

    /// <summary>
    /// What the Winograd drivers need from an ISA path: how many tiles one vector transforms, the
    /// transforms of a vector of tiles, and the 16 products of a chunk.
    /// </summary>
    private interface IWinoIsa
    {
        /// <summary>Tiles per vector: 16 (512-bit) or 8 (256-bit).</summary>
        static abstract int Tiles { get; }

        /// <summary>Whether planes up to 16 wide put several tile rows in one vector (<see cref="WinoGroups"/>).</summary>
        static abstract bool Grouped { get; }

        /// <summary>Floats of one position's U packed as the forward product's A operand.</summary>
        static abstract long PackedUSize(int cout, int c);

        static abstract void PackU(int cout, int c, float* raw, float* dst);

        /// <summary>Row length of the forward chunk's transformed input (at least tiles + <see cref="Tiles"/>).</summary>
        static abstract int ForwardLd(int tiles);

        /// <summary>M [cout x tiles] (row stride tiles) = U (packed) * V [c x tiles] (row stride ld).</summary>
        static abstract void ForwardProduct(int cout, int tiles, int c, float* packedU, float* v, int ld, float* m);

        /// <summary>Row length of the weight-gradient chunk's transformed input and output gradient.</summary>
        static abstract int WeightLd(int tiles);

        /// <summary>dU [cout x c] (+)= dM [cout x tiles] * V [c x tiles]^T, both with row stride ld.</summary>
        static abstract void WeightProduct(int cout, int c, int tiles, float* v, float* dm, int ld, float* du, bool accumulate);

        static abstract void InputTransformRun(float* plane, int h, int w, int ty0, int ty1, int tx0, float* dst, int rowTiles, long stride);

        static abstract void OutputTransform(float* m, long stride, float* plane, int h, int w, int ty, int tx0);

        static abstract void OutputGradientTransform(float* plane, int h, int w, int ty, int tx0, float* dst, long stride);
    }

    /// <summary>The AVX-512 path: 16 tiles per vector, GEMM micro-kernels reading the transformed data in place.</summary>
    private readonly struct Wino512 : IWinoIsa
    {
        public static int Tiles => WinoTiles;

        public static bool Grouped => true;

        public static long PackedUSize(int cout, int c) => GemmPacked512.PackedASize(cout, c);

        public static void PackU(int cout, int c, float* raw, float* dst) => GemmPacked512.PackAll(false, cout, c, raw, c, dst);

        // A multiple of 16 with room for one 32-column panel past the last tile: the GEMM reads B's
        // panels in place.
        public static int ForwardLd(int tiles) => ((tiles + GemmPacked512.NR - 1) / GemmPacked512.NR * GemmPacked512.NR) + WinoTiles;

        public static void ForwardProduct(int cout, int tiles, int c, float* packedU, float* v, int ld, float* m) =>
            GemmPacked512.RunPackedA(cout, tiles, c, packedU, v, ld, m, tiles);

        public static int WeightLd(int tiles) => ((tiles + WinoTiles - 1) / WinoTiles * WinoTiles) + WinoTiles;

        // Zero the lanes between the last tile and the next multiple of 16 (spilled lanes of the last
        // tile row live there), then transpose both operands 16 x 16 at a time into [depth x channels]
        // rows that the GEMM micro-kernels read in place. (A general GEMM packs both operands; with
        // channel counts for m and n, packing cost about as much as the product.)
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static void WeightProduct(int cout, int c, int tiles, float* v, float* dm, int ld, float* du, bool accumulate)
        {
            int depth = (tiles + WinoTiles - 1) / WinoTiles * WinoTiles;
            if (depth != tiles)
            {
                for (int ci = 0; ci < c; ci++)
                {
                    Vector512<float>.Zero.Store(v + ((long)ci * ld) + tiles);
                }

                for (int co = 0; co < cout; co++)
                {
                    Vector512<float>.Zero.Store(dm + ((long)co * ld) + tiles);
                }
            }

            int ldt = (c + GemmPacked512.NR - 1) / GemmPacked512.NR * GemmPacked512.NR;
            int ldk = ((((cout + GemmPacked512.MR - 1) / GemmPacked512.MR * GemmPacked512.MR) + 15) / 16) * 16;
            float* vt = Scratch(ref t_winoT, (long)depth * ldt);
            float* mt = Scratch(ref t_winoA, (long)depth * ldk);
            TransposeRows(v, ld, c, depth, vt, ldt);
            TransposeRows(dm, ld, cout, depth, mt, ldk);
            GemmPacked512.RunInPlace(cout, c, depth, mt, ldk, vt, ldt, du, c, accumulate);
        }

        public static void InputTransformRun(float* plane, int h, int w, int ty0, int ty1, int tx0, float* dst, int rowTiles, long stride) =>
            CpuConv2d.InputTransformRun(plane, h, w, ty0, ty1, tx0, dst, rowTiles, stride);

        public static void OutputTransform(float* m, long stride, float* plane, int h, int w, int ty, int tx0) =>
            CpuConv2d.OutputTransform(m, stride, plane, h, w, ty, tx0);

        public static void OutputGradientTransform(float* plane, int h, int w, int ty, int tx0, float* dst, long stride) =>
            CpuConv2d.OutputGradientTransform(plane, h, w, ty, tx0, dst, stride);
    }

    // dst [depth x ldd] = src [rows x depth]^T (src row stride lds, depth a multiple of 16; the
    // columns from rows up to the next multiple of 16 are zero).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeRows(float* src, int lds, int rows, int depth, float* dst, int ldd)
    {
        for (int r0 = 0; r0 < rows; r0 += 16)
        {
            for (int t0 = 0; t0 < depth; t0 += 16)
            {
                Transpose16(src + ((long)r0 * lds) + t0, lds, Math.Min(16, rows - r0), dst + ((long)t0 * ldd) + r0, ldd);
            }
        }
    }

    // The grouping of tile rows for planes w wide on path T: null when each tile row has its own
    // vector(s) (the AVX2 path, or planes wider than 16).
    private static WinoGroups? GroupsFor<T>(int w)
        where T : struct, IWinoIsa =>
        T.Grouped && w <= 16 ? WinoGroups.For(w) : null;

    /// <summary>
    /// How tile rows of a narrow plane share one vector of 16 tiles: with at most 8 tiles per row
    /// (planes up to 16 wide) two consecutive tile rows (of the same or the next image) fill lanes 0-7
    /// and 8-15, with at most 4 (planes up to 8 wide) four rows fill four groups of 4 lanes. A group's
    /// patch columns are one masked load into its lanes (the mask zeroes the padding and the lanes past
    /// its row), so a 14x14 plane takes 2.3 and a 7x7 plane 4 times fewer transforms than one row per
    /// vector. Tiles are compacted to consecutive positions before they are stored and expanded back
    /// when read.
    /// </summary>
    private sealed class WinoGroups
    {
        private static readonly WinoGroups?[] s_byWidth = new WinoGroups?[17];

        private WinoGroups(int w)
        {
            int tw = (w + 1) / 2;
            Count = tw <= 4 ? 4 : tw <= 8 ? 2 : 1;
            Span = WinoTiles / Count;
            int span2 = 2 * Span;
            var compact = new int[16];
            var expand = new int[16];
            for (int k = 0; k < 16; k++)
            {
                compact[k] = k < Count * tw ? ((k / tw) * Span) + (k % tw) : 0;
                expand[k] = (k % Span) < tw ? ((k / Span) * tw) + (k % Span) : 0;
            }

            Compact = Vector512.Create(compact);
            Expand = Vector512.Create(expand);
            InFirst = new Vector512<float>[Count];
            InSecond = new Vector512<float>[Count];
            Out = new Vector512<float>[Count];
            for (int grp = 0; grp < Count; grp++)
            {
                var m1 = new int[16];
                var m2 = new int[16];
                var mo = new int[16];
                int half = grp * span2 / 16;
                for (int l = 0; l < 16; l++)
                {
                    int o = (16 * half) + l - (grp * span2);
                    bool mine = o >= 0 && o < span2;
                    m1[l] = mine && o - 1 >= 0 && o - 1 < w ? -1 : 0;
                    m2[l] = mine && o + 1 < w ? -1 : 0;
                    mo[l] = mine && o < w ? -1 : 0;
                }

                InFirst[grp] = Vector512.Create(m1).AsSingle();
                InSecond[grp] = Vector512.Create(m2).AsSingle();
                Out[grp] = Vector512.Create(mo).AsSingle();
            }
        }

        /// <summary>Tile rows per vector: 1, 2 or 4.</summary>
        public int Count { get; }

        /// <summary>Lanes per tile row (16 / Count).</summary>
        public int Span { get; }

        /// <summary>Lane k of a stored vector takes lane Compact[k] of a grouped one.</summary>
        public Vector512<int> Compact { get; }

        /// <summary>Lane l of a grouped vector takes lane Expand[l] of a stored one.</summary>
        public Vector512<int> Expand { get; }

        /// <summary>Per group: lanes of its half-vector holding input columns -1 .. 2 Span - 2 inside the plane.</summary>
        public Vector512<float>[] InFirst { get; }

        /// <summary>Per group: the same for columns 1 .. 2 Span.</summary>
        public Vector512<float>[] InSecond { get; }

        /// <summary>Per group: lanes of its half-vector holding output columns 0 .. 2 Span - 1 inside the plane.</summary>
        public Vector512<float>[] Out { get; }

        /// <summary>The layout for planes <paramref name="w"/> wide (1 to 16; wider planes put one tile row in a vector and need none).</summary>
        public static WinoGroups For(int w) => s_byWidth[w] ??= new WinoGroups(w);
    }

    // Planes and tile rows of the groups of one vector: tile rows r .. r + count - 1 of a batch of
    // [n, channels, plane] images, channel ch. Returns count.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int GroupRows(int r, int count, int th, float* data, int channels, int ch, long plane, float** planes, int* tys)
    {
        for (int k = 0; k < count; k++)
        {
            int a = (r + k) / th;
            tys[k] = r + k - (a * th);
            planes[k] = data + ((((long)a * channels) + ch) * plane);
        }

        return count;
    }

    /// <summary>
    /// V = B^T d B for the tiles of <paramref name="count"/> tile rows sharing one vector (group k: tile
    /// row tys[k] of plane planes[k]); the 16 positions go, compacted, to dst + xi * stride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTransformGrouped(WinoGroups layout, float** planes, int* tys, int count, int h, int w, float* dst, long stride)
    {
        PatchRowGrouped(layout, planes, tys, count, h, w, 0, out var w00, out var w01, out var w02, out var w03);
        PatchRowGrouped(layout, planes, tys, count, h, w, 1, out var w10, out var w11, out var w12, out var w13);
        PatchRowGrouped(layout, planes, tys, count, h, w, 2, out var w20, out var w21, out var w22, out var w23);
        PatchRowGrouped(layout, planes, tys, count, h, w, 3, out var w30, out var w31, out var w32, out var w33);
        var cp = layout.Compact;
        Put(dst, 0, stride, w00 - w20, cp); Put(dst, 1, stride, w01 - w21, cp);
        Put(dst, 2, stride, w02 - w22, cp); Put(dst, 3, stride, w03 - w23, cp);
        Put(dst, 4, stride, w10 + w20, cp); Put(dst, 5, stride, w11 + w21, cp);
        Put(dst, 6, stride, w12 + w22, cp); Put(dst, 7, stride, w13 + w23, cp);
        Put(dst, 8, stride, w20 - w10, cp); Put(dst, 9, stride, w21 - w11, cp);
        Put(dst, 10, stride, w22 - w12, cp); Put(dst, 11, stride, w23 - w13, cp);
        Put(dst, 12, stride, w10 - w30, cp); Put(dst, 13, stride, w11 - w31, cp);
        Put(dst, 14, stride, w12 - w32, cp); Put(dst, 15, stride, w13 - w33, cp);
    }

    // Position xi of 16 tiles to dst + xi * stride (stores go straight from registers: a round trip
    // through a stack array had cost store-to-load forwarding stalls of the 512-bit vectors).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* dst, int xi, long stride, Vector512<float> value) => value.Store(dst + (xi * stride));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* dst, int xi, long stride, Vector512<float> value, Vector512<int> compact) =>
        Avx512F.PermuteVar16x32(value, compact).Store(dst + (xi * stride));

    // Patch row i of every group times B, as PatchRow.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PatchRowGrouped(WinoGroups layout, float** planes, int* tys, int count, int h, int w, int i,
        out Vector512<float> t0, out Vector512<float> t1, out Vector512<float> t2, out Vector512<float> t3)
    {
        var a = Vector512<float>.Zero;
        var b = Vector512<float>.Zero;
        var cc = Vector512<float>.Zero;
        var dd = Vector512<float>.Zero;
        int span2 = 2 * layout.Span;
        for (int k = 0; k < count; k++)
        {
            int row = (2 * tys[k]) - 1 + i;
            if ((uint)row >= (uint)h)
            {
                continue;
            }

            // Lane l of the group's half reads column (16 half + l - k span2) - 1 of its row.
            float* src = planes[k] + ((long)row * w) - 1 - (k * span2);
            if (k * span2 < 16)
            {
                a = Avx512F.MaskLoad(src, layout.InFirst[k], a);
                cc = Avx512F.MaskLoad(src + 2, layout.InSecond[k], cc);
            }
            else
            {
                b = Avx512F.MaskLoad(src + 16, layout.InFirst[k], b);
                dd = Avx512F.MaskLoad(src + 18, layout.InSecond[k], dd);
            }
        }

        RowTimesB(a, b, cc, dd, out t0, out t1, out t2, out t3);
    }

    /// <summary>Y = A^T M A for the tiles of <paramref name="count"/> grouped tile rows (M compacted, position xi at m + xi * stride).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransformGrouped(WinoGroups layout, float* m, long stride, float** planes, int* tys, int count, int h, int w)
    {
        OutputTile(m, stride, out var t00, out var t01, out var t10, out var t11);
        var ex = layout.Expand;
        var y00 = Avx512F.PermuteVar16x32(t00, ex);
        var y01 = Avx512F.PermuteVar16x32(t01, ex);
        var y10 = Avx512F.PermuteVar16x32(t10, ex);
        var y11 = Avx512F.PermuteVar16x32(t11, ex);
        var lo0 = Avx512F.PermuteVar16x32x2(y00, s_interleaveLo, y01);
        var hi0 = Avx512F.PermuteVar16x32x2(y00, s_interleaveHi, y01);
        var lo1 = Avx512F.PermuteVar16x32x2(y10, s_interleaveLo, y11);
        var hi1 = Avx512F.PermuteVar16x32x2(y10, s_interleaveHi, y11);
        int span2 = 2 * layout.Span;
        for (int k = 0; k < count; k++)
        {
            int row = 2 * tys[k];
            float* dst = planes[k] + ((long)row * w) - (k * span2);
            var mask = layout.Out[k];
            bool second = row + 1 < h;
            if (k * span2 < 16)
            {
                Avx512F.MaskStore(dst, mask, lo0);
                if (second)
                {
                    Avx512F.MaskStore(dst + w, mask, lo1);
                }
            }
            else
            {
                Avx512F.MaskStore(dst + 16, mask, hi0);
                if (second)
                {
                    Avx512F.MaskStore(dst + w + 16, mask, hi1);
                }
            }
        }
    }

    /// <summary>dM = A dY A^T for the tiles of <paramref name="count"/> grouped tile rows of output-gradient planes, stored compacted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputGradientTransformGrouped(WinoGroups layout, float** planes, int* tys, int count, int h, int w, float* dst, long stride)
    {
        var a = Vector512<float>.Zero;
        var b = Vector512<float>.Zero;
        var a2 = Vector512<float>.Zero;
        var b2 = Vector512<float>.Zero;
        int span2 = 2 * layout.Span;
        for (int k = 0; k < count; k++)
        {
            int row = 2 * tys[k];
            float* src = planes[k] + ((long)row * w) - (k * span2);
            var mask = layout.Out[k];
            bool second = row + 1 < h;
            if (k * span2 < 16)
            {
                a = Avx512F.MaskLoad(src, mask, a);
                if (second)
                {
                    a2 = Avx512F.MaskLoad(src + w, mask, a2);
                }
            }
            else
            {
                b = Avx512F.MaskLoad(src + 16, mask, b);
                if (second)
                {
                    b2 = Avx512F.MaskLoad(src + w + 16, mask, b2);
                }
            }
        }

        var y00 = Avx512F.PermuteVar16x32x2(a, s_evens, b);
        var y01 = Avx512F.PermuteVar16x32x2(a, s_odds, b);
        var y10 = Avx512F.PermuteVar16x32x2(a2, s_evens, b2);
        var y11 = Avx512F.PermuteVar16x32x2(a2, s_odds, b2);
        PutOutputGradientTile(dst, stride, y00, y01, y10, y11, true, layout.Compact);
    }

    private static Vector512<int> TransposeIndex(int block, bool high)
    {
        var idx = new int[16];
        for (int l = 0; l < 16; l++)
        {
            int blk = l / (2 * block), off = l % (2 * block);
            idx[l] = (off < block ? (blk * 2 * block) + off : 16 + (blk * 2 * block) + (off - block)) + (high ? block : 0);
        }

        return Vector512.Create(idx);
    }

    private static readonly Vector512<int> s_t8Lo = TransposeIndex(8, false), s_t8Hi = TransposeIndex(8, true);
    private static readonly Vector512<int> s_t4Lo = TransposeIndex(4, false), s_t4Hi = TransposeIndex(4, true);
    private static readonly Vector512<int> s_t2Lo = TransposeIndex(2, false), s_t2Hi = TransposeIndex(2, true);
    private static readonly Vector512<int> s_t1Lo = TransposeIndex(1, false), s_t1Hi = TransposeIndex(1, true);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Swap(ref Vector512<float> p, ref Vector512<float> q, Vector512<int> lo, Vector512<int> hi)
    {
        var a = Avx512F.PermuteVar16x32x2(p, lo, q);
        q = Avx512F.PermuteVar16x32x2(p, hi, q);
        p = a;
    }

    /// <summary>
    /// dst (16 rows of 16 floats, row stride ldd) = the transpose of the 16 x 16 block at src (row stride
    /// lds), rows of src past <paramref name="rows"/> taken as zero: four rounds of pairwise lane
    /// exchanges (blocks of 8, 4, 2, 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose16(float* src, int lds, int rows, float* dst, int ldd)
    {
        var z = Vector512<float>.Zero;
        var r0 = Vector512.Load(src);
        var r1 = rows > 1 ? Vector512.Load(src + lds) : z;
        var r2 = rows > 2 ? Vector512.Load(src + (2L * lds)) : z;
        var r3 = rows > 3 ? Vector512.Load(src + (3L * lds)) : z;
        var r4 = rows > 4 ? Vector512.Load(src + (4L * lds)) : z;
        var r5 = rows > 5 ? Vector512.Load(src + (5L * lds)) : z;
        var r6 = rows > 6 ? Vector512.Load(src + (6L * lds)) : z;
        var r7 = rows > 7 ? Vector512.Load(src + (7L * lds)) : z;
        var r8 = rows > 8 ? Vector512.Load(src + (8L * lds)) : z;
        var r9 = rows > 9 ? Vector512.Load(src + (9L * lds)) : z;
        var r10 = rows > 10 ? Vector512.Load(src + (10L * lds)) : z;
        var r11 = rows > 11 ? Vector512.Load(src + (11L * lds)) : z;
        var r12 = rows > 12 ? Vector512.Load(src + (12L * lds)) : z;
        var r13 = rows > 13 ? Vector512.Load(src + (13L * lds)) : z;
        var r14 = rows > 14 ? Vector512.Load(src + (14L * lds)) : z;
        var r15 = rows > 15 ? Vector512.Load(src + (15L * lds)) : z;
        Swap(ref r0, ref r8, s_t8Lo, s_t8Hi); Swap(ref r1, ref r9, s_t8Lo, s_t8Hi);
        Swap(ref r2, ref r10, s_t8Lo, s_t8Hi); Swap(ref r3, ref r11, s_t8Lo, s_t8Hi);
        Swap(ref r4, ref r12, s_t8Lo, s_t8Hi); Swap(ref r5, ref r13, s_t8Lo, s_t8Hi);
        Swap(ref r6, ref r14, s_t8Lo, s_t8Hi); Swap(ref r7, ref r15, s_t8Lo, s_t8Hi);
        Swap(ref r0, ref r4, s_t4Lo, s_t4Hi); Swap(ref r1, ref r5, s_t4Lo, s_t4Hi);
        Swap(ref r2, ref r6, s_t4Lo, s_t4Hi); Swap(ref r3, ref r7, s_t4Lo, s_t4Hi);
        Swap(ref r8, ref r12, s_t4Lo, s_t4Hi); Swap(ref r9, ref r13, s_t4Lo, s_t4Hi);
        Swap(ref r10, ref r14, s_t4Lo, s_t4Hi); Swap(ref r11, ref r15, s_t4Lo, s_t4Hi);
        Swap(ref r0, ref r2, s_t2Lo, s_t2Hi); Swap(ref r1, ref r3, s_t2Lo, s_t2Hi);
        Swap(ref r4, ref r6, s_t2Lo, s_t2Hi); Swap(ref r5, ref r7, s_t2Lo, s_t2Hi);
        Swap(ref r8, ref r10, s_t2Lo, s_t2Hi); Swap(ref r9, ref r11, s_t2Lo, s_t2Hi);
        Swap(ref r12, ref r14, s_t2Lo, s_t2Hi); Swap(ref r13, ref r15, s_t2Lo, s_t2Hi);
        Swap(ref r0, ref r1, s_t1Lo, s_t1Hi); Swap(ref r2, ref r3, s_t1Lo, s_t1Hi);
        Swap(ref r4, ref r5, s_t1Lo, s_t1Hi); Swap(ref r6, ref r7, s_t1Lo, s_t1Hi);
        Swap(ref r8, ref r9, s_t1Lo, s_t1Hi); Swap(ref r10, ref r11, s_t1Lo, s_t1Hi);
        Swap(ref r12, ref r13, s_t1Lo, s_t1Hi); Swap(ref r14, ref r15, s_t1Lo, s_t1Hi);
        r0.Store(dst); r1.Store(dst + ldd); r2.Store(dst + (2L * ldd)); r3.Store(dst + (3L * ldd));
        r4.Store(dst + (4L * ldd)); r5.Store(dst + (5L * ldd)); r6.Store(dst + (6L * ldd)); r7.Store(dst + (7L * ldd));
        r8.Store(dst + (8L * ldd)); r9.Store(dst + (9L * ldd)); r10.Store(dst + (10L * ldd)); r11.Store(dst + (11L * ldd));
        r12.Store(dst + (12L * ldd)); r13.Store(dst + (13L * ldd)); r14.Store(dst + (14L * ldd)); r15.Store(dst + (15L * ldd));
    }

    // Lane masks of a masked load of 16 floats starting at column col0 of a row of width w.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ColumnMask(int col0, int w)
    {
        var cols = Vector512.Create(col0) + Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        return (Vector512.GreaterThanOrEqual(cols, Vector512<int>.Zero) & Vector512.LessThan(cols, Vector512.Create(w))).AsSingle();
    }

    private static readonly Vector512<int> s_evens = Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    private static readonly Vector512<int> s_odds = Vector512.Create(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    private static readonly Vector512<int> s_interleaveLo = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    private static readonly Vector512<int> s_interleaveHi = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);

    // One patch row of 16 tiles times B: (p0 - p2, p1 + p2, p2 - p1, p1 - p3), zero outside the plane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PatchRow(float* plane, int row, int h, int w, int c0, Vector512<float> mA, Vector512<float> mB,
        Vector512<float> mC, Vector512<float> mD, out Vector512<float> t0, out Vector512<float> t1, out Vector512<float> t2, out Vector512<float> t3)
    {
        if ((uint)row >= (uint)h)
        {
            t0 = t1 = t2 = t3 = Vector512<float>.Zero;
            return;
        }

        float* src = plane + ((long)row * w) + c0;
        var a = Avx512F.MaskLoad(src, mA, Vector512<float>.Zero);
        var b = Avx512F.MaskLoad(src + 16, mB, Vector512<float>.Zero);
        var cc = Avx512F.MaskLoad(src + 2, mC, Vector512<float>.Zero);
        var dd = Avx512F.MaskLoad(src + 18, mD, Vector512<float>.Zero);
        RowTimesB(a, b, cc, dd, out t0, out t1, out t2, out t3);
    }

    // One patch row of 16 tiles times B from its loads: a, b hold columns c0 .. c0 + 31, cc, dd columns
    // c0 + 2 .. c0 + 33; split into the tiles' columns 0..3 (p0..p3), the row is (p0 - p2, p1 + p2,
    // p2 - p1, p1 - p3).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowTimesB(Vector512<float> a, Vector512<float> b, Vector512<float> cc, Vector512<float> dd,
        out Vector512<float> t0, out Vector512<float> t1, out Vector512<float> t2, out Vector512<float> t3)
    {
        var p0 = Avx512F.PermuteVar16x32x2(a, s_evens, b);
        var p1 = Avx512F.PermuteVar16x32x2(a, s_odds, b);
        var p2 = Avx512F.PermuteVar16x32x2(cc, s_evens, dd);
        var p3 = Avx512F.PermuteVar16x32x2(cc, s_odds, dd);
        t0 = p0 - p2;
        t1 = p1 + p2;
        t2 = p2 - p1;
        t3 = p1 - p3;
    }

    // Y = A^T M A for 16 tiles, position xi of M at m + xi * stride: A^T M has rows (m0 + m1 + m2,
    // m1 - m2 - m3) of the 4x4 M, and (A^T M) A columns (s0 + s1 + s2, s1 - s2 - s3).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputTile(float* m, long stride,
        out Vector512<float> y00, out Vector512<float> y01, out Vector512<float> y10, out Vector512<float> y11)
    {
        var m4 = Vector512.Load(m + (4 * stride));
        var m5 = Vector512.Load(m + (5 * stride));
        var m6 = Vector512.Load(m + (6 * stride));
        var m7 = Vector512.Load(m + (7 * stride));
        var m8 = Vector512.Load(m + (8 * stride));
        var m9 = Vector512.Load(m + (9 * stride));
        var m10 = Vector512.Load(m + (10 * stride));
        var m11 = Vector512.Load(m + (11 * stride));
        var s00 = Vector512.Load(m) + m4 + m8;
        var s01 = Vector512.Load(m + stride) + m5 + m9;
        var s02 = Vector512.Load(m + (2 * stride)) + m6 + m10;
        var s03 = Vector512.Load(m + (3 * stride)) + m7 + m11;
        var s10 = m4 - m8 - Vector512.Load(m + (12 * stride));
        var s11 = m5 - m9 - Vector512.Load(m + (13 * stride));
        var s12 = m6 - m10 - Vector512.Load(m + (14 * stride));
        var s13 = m7 - m11 - Vector512.Load(m + (15 * stride));
        y00 = s00 + s01 + s02;
        y01 = s01 - s02 - s03;
        y10 = s10 + s11 + s12;
        y11 = s11 - s12 - s13;
    }

    // dM = A dY A^T for 16 tiles of a 2x2 output gradient (y_pq), stored to dst + xi * stride, compacted
    // when the tiles are grouped: dY A^T has per row p the columns (y_p0, y_p0 + y_p1, y_p0 - y_p1,
    // -y_p1), and A (dY A^T) the rows (e0, e0 + e1, e0 - e1, -e1).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PutOutputGradientTile(float* dst, long stride, Vector512<float> y00, Vector512<float> y01,
        Vector512<float> y10, Vector512<float> y11, bool compacting, Vector512<int> compact)
    {
        var e01 = y00 + y01;
        var e02 = y00 - y01;
        var e03 = -y01;
        var e11 = y10 + y11;
        var e12 = y10 - y11;
        var e13 = -y11;
        Put(dst, 0, stride, y00, compacting, compact); Put(dst, 1, stride, e01, compacting, compact);
        Put(dst, 2, stride, e02, compacting, compact); Put(dst, 3, stride, e03, compacting, compact);
        Put(dst, 4, stride, y00 + y10, compacting, compact); Put(dst, 5, stride, e01 + e11, compacting, compact);
        Put(dst, 6, stride, e02 + e12, compacting, compact); Put(dst, 7, stride, e03 + e13, compacting, compact);
        Put(dst, 8, stride, y00 - y10, compacting, compact); Put(dst, 9, stride, e01 - e11, compacting, compact);
        Put(dst, 10, stride, e02 - e12, compacting, compact); Put(dst, 11, stride, e03 - e13, compacting, compact);
        Put(dst, 12, stride, -y10, compacting, compact); Put(dst, 13, stride, -e11, compacting, compact);
        Put(dst, 14, stride, -e12, compacting, compact); Put(dst, 15, stride, -e13, compacting, compact);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* dst, int xi, long stride, Vector512<float> value, bool compacting, Vector512<int> compact)
    {
        if (compacting)
        {
            Put(dst, xi, stride, value, compact);
        }
        else
        {
            Put(dst, xi, stride, value);
        }
    }

    /// <summary>Y = A^T M A for 16 tiles (m[xi], lane t for tile tx0 + t), written into rows 2 ty and 2 ty + 1 of an output plane [h, w].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransform(float* m, long stride, float* plane, int h, int w, int ty, int tx0)
    {
        OutputTile(m, stride, out var y00, out var y01, out var y10, out var y11);

        int col0 = 2 * tx0;
        var mLo = ColumnMask(col0, w);
        var mHi = ColumnMask(col0 + 16, w);
        int row = 2 * ty;
        float* dst = plane + ((long)row * w) + col0;
        Avx512F.MaskStore(dst, mLo, Avx512F.PermuteVar16x32x2(y00, s_interleaveLo, y01));
        Avx512F.MaskStore(dst + 16, mHi, Avx512F.PermuteVar16x32x2(y00, s_interleaveHi, y01));
        if (row + 1 < h)
        {
            dst += w;
            Avx512F.MaskStore(dst, mLo, Avx512F.PermuteVar16x32x2(y10, s_interleaveLo, y11));
            Avx512F.MaskStore(dst + 16, mHi, Avx512F.PermuteVar16x32x2(y10, s_interleaveHi, y11));
        }
    }

    /// <summary>dM = A dY A^T for 16 tiles of an output-gradient plane [h, w] (rows 2 ty, 2 ty + 1; zero past the edges).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputGradientTransform(float* plane, int h, int w, int ty, int tx0, float* dst, long stride)
    {
        int col0 = 2 * tx0;
        var mLo = ColumnMask(col0, w);
        var mHi = ColumnMask(col0 + 16, w);
        int row = 2 * ty;
        float* src = plane + ((long)row * w) + col0;
        var a = Avx512F.MaskLoad(src, mLo, Vector512<float>.Zero);
        var b = Avx512F.MaskLoad(src + 16, mHi, Vector512<float>.Zero);
        var y00 = Avx512F.PermuteVar16x32x2(a, s_evens, b);
        var y01 = Avx512F.PermuteVar16x32x2(a, s_odds, b);
        Vector512<float> y10, y11;
        if (row + 1 < h)
        {
            a = Avx512F.MaskLoad(src + w, mLo, Vector512<float>.Zero);
            b = Avx512F.MaskLoad(src + w + 16, mHi, Vector512<float>.Zero);
            y10 = Avx512F.PermuteVar16x32x2(a, s_evens, b);
            y11 = Avx512F.PermuteVar16x32x2(a, s_odds, b);
        }
        else
        {
            y10 = y11 = Vector512<float>.Zero;
        }

        PutOutputGradientTile(dst, stride, y00, y01, y10, y11, false, default);
    }

    // raw[xi][co][ci] = (G g G^T)[xi] for every filter g = weight[co, ci] (3x3).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformWeights(float* weight, int cout, int c, float* raw)
    {
        long plane = (long)cout * c;
        float* t = stackalloc float[12];
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                float* f = weight + ((((long)co * c) + ci) * 9);

                // G g: 4 x 3.
                for (int j = 0; j < 3; j++)
                {
                    float g0 = f[j], g1 = f[3 + j], g2 = f[6 + j];
                    t[j] = g0;
                    t[3 + j] = 0.5f * (g0 + g1 + g2);
                    t[6 + j] = 0.5f * (g0 - g1 + g2);
                    t[9 + j] = g2;
                }

                // (G g) G^T: 4 x 4.
                long at = ((long)co * c) + ci;
                for (int i = 0; i < 4; i++)
                {
                    float r0 = t[3 * i], r1 = t[(3 * i) + 1], r2 = t[(3 * i) + 2];
                    raw[(((4 * i) + 0) * plane) + at] = r0;
                    raw[(((4 * i) + 1) * plane) + at] = 0.5f * (r0 + r1 + r2);
                    raw[(((4 * i) + 2) * plane) + at] = 0.5f * (r0 - r1 + r2);
                    raw[(((4 * i) + 3) * plane) + at] = r2;
                }
            }
        }
    }

    // dw[co, ci] = G^T dU G with dU[xi] = du[xi][co][ci].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransformWeightGradient(float* du, int cout, int c, float* dw)
    {
        long plane = (long)cout * c;
        float* u = stackalloc float[16];
        float* t = stackalloc float[12];
        for (int co = 0; co < cout; co++)
        {
            for (int ci = 0; ci < c; ci++)
            {
                long at = ((long)co * c) + ci;
                for (int xi = 0; xi < 16; xi++)
                {
                    u[xi] = du[(xi * plane) + at];
                }

                // G^T dU: 3 x 4 (G^T rows: [1 .5 .5 0], [0 .5 -.5 0], [0 .5 .5 1]).
                for (int j = 0; j < 4; j++)
                {
                    float a0 = u[j], a1 = u[4 + j], a2 = u[8 + j], a3 = u[12 + j];
                    t[j] = a0 + (0.5f * (a1 + a2));
                    t[4 + j] = 0.5f * (a1 - a2);
                    t[8 + j] = (0.5f * (a1 + a2)) + a3;
                }

                // (G^T dU) G: 3 x 3.
                float* f = dw + (at * 9);
                for (int i = 0; i < 3; i++)
                {
                    float b0 = t[4 * i], b1 = t[(4 * i) + 1], b2 = t[(4 * i) + 2], b3 = t[(4 * i) + 3];
                    f[3 * i] = b0 + (0.5f * (b1 + b2));
                    f[(3 * i) + 1] = 0.5f * (b1 - b2);
                    f[(3 * i) + 2] = (0.5f * (b1 + b2)) + b3;
                }
            }
        }
    }
}

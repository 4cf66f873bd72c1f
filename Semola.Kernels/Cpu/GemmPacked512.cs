using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Cache-blocked GEMM for AVX-512 machines, the 512-bit counterpart of <see cref="GemmPacked"/>.
/// op(A) is packed into 12-row micro-panels and op(B) into 32-column micro-panels (both
/// zero-padded); a 12x32 micro-kernel keeps 24 zmm accumulators (of the 32 registers) and
/// computes each tile of C, with 8x32 and 4x32 variants for short row tails. Loop nest: NC columns
/// of B -> KC depth -> MC rows of A -> NR -> MR. The A block (MC x KC) is sized to half the
/// per-core L2 cache read at run time (<see cref="CpuFeatures.L2CacheBytes"/>), so the packed A
/// stays in L2 while each 32-column B micro-panel is reused from L1 across it.
/// </summary>
// The micro-kernels' partial-tile buffers (stackalloc) are written before they are read; without
// this the JIT zeroed 1.5 KiB of frame on every micro-kernel call, about as long as a short-k product.
[SkipLocalsInit]
internal static unsafe class GemmPacked512
{
    public const int MR = 12;
    public const int NR = 32;
    public const int KC = 256;
    public const int NC = 4096;

    /// <summary>Rows of A per block: half the L2 cache for an MC x KC block, a multiple of MR in [48, 1200].</summary>
    public static readonly int MC = ComputeMc(CpuFeatures.L2CacheBytes);

    [ThreadStatic] private static AlignedBuffer? t_packA;
    [ThreadStatic] private static AlignedBuffer? t_packB;

    // Packing may write up to this many floats past the end of the packed data.
    private const int PackSlack = 16;

    internal static int ComputeMc(long l2Bytes)
    {
        long rows = l2Bytes / 2 / (KC * sizeof(float));
        return (int)Math.Clamp(rows / MR * MR, 4 * MR, 100 * MR);
    }

    /// <summary>Depth of the k blocks used for a problem of depth k: equal blocks (multiples of 8) no deeper than KC.</summary>
    public static int KcStep(int k)
    {
        int kBlocks = (k + KC - 1) / KC;
        return Math.Min(KC, RoundUp((k + kBlocks - 1) / kBlocks, 8));
    }

    /// <summary>Number of floats <see cref="PackAll"/> writes for an m x k op(A).</summary>
    public static long PackedASize(int m, int k) => (long)RoundUp(m, MR) * k + PackSlack;

    /// <summary>
    /// Packs the whole of op(A) (m x k) once, for reuse across many products with the same A.
    /// Layout: for each k block starting at pc, the MR-row micro-panels of all rows, beginning at
    /// <c>pc * RoundUp(m, MR)</c>.
    /// </summary>
    public static void PackAll(bool transA, int m, int k, float* a, int lda, float* dst)
    {
        int kcStep = KcStep(k);
        long mp = RoundUp(m, MR);
        for (int pc = 0; pc < k; pc += kcStep)
        {
            int kc = Math.Min(kcStep, k - pc);
            for (int ic = 0; ic < m; ic += MC)
            {
                PackA(transA, a, lda, ic, pc, Math.Min(MC, m - ic), kc, dst + pc * mp + (long)ic * kc);
            }
        }
    }

    /// <summary>
    /// C = alpha*op(A)*op(B) + beta*C, single-threaded. Requires k &gt; 0. When
    /// <paramref name="packedA"/> is not null it must hold op(A) as written by <see cref="PackAll"/>
    /// (then <paramref name="a"/>, <paramref name="lda"/> and <paramref name="transA"/> are unused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, float* packedA = null)
    {
        t_packA ??= new AlignedBuffer();
        t_packB ??= new AlignedBuffer();
        int kcStep = KcStep(k);
        int kcMax = Math.Min(kcStep, k);
        int ncMax = Math.Min(NC, RoundUp(n, NR));
        int mcMax = Math.Min(MC, RoundUp(m, MR));
        long mp = RoundUp(m, MR);
        float* pa = packedA == null ? t_packA.Get((long)mcMax * kcMax + PackSlack) : null;
        float* pb = t_packB.Get((long)ncMax * kcMax);

        float* scal = stackalloc float[2];
        scal[0] = alpha;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcStep)
            {
                int kc = Math.Min(kcStep, k - pc);
                scal[1] = pc == 0 ? beta : 1f;
                PackB(transB, b, ldb, pc, jc, kc, nc, pb);
                for (int ic = 0; ic < m; ic += MC)
                {
                    int mc = Math.Min(MC, m - ic);
                    float* aBlock;
                    if (packedA == null)
                    {
                        PackA(transA, a, lda, ic, pc, mc, kc, pa);
                        aBlock = pa;
                    }
                    else
                    {
                        aBlock = packedA + pc * mp + (long)ic * kc;
                    }

                    Block(mc, nc, kc, aBlock, pb, c + (long)ic * ldc + jc, ldc, scal);
                }
            }
        }
    }

    /// <summary>
    /// C = op(A) * B, overwriting C, single-threaded, with both operands already packed: op(A)
    /// (m x k) by <see cref="PackAll"/> and B (k x n) in the layout <see cref="PackedBOffset"/>
    /// describes (for each k block, the 32-column micro-panels of all columns, zero-padded), as a
    /// convolution lowers its input straight into it. Requires k &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPackedAB(int m, int n, int k, float* packedA, float* packedB, float* c, int ldc)
    {
        int kcStep = KcStep(k);
        long mp = RoundUp(m, MR);
        long np = RoundUp(n, NR);
        float* scal = stackalloc float[2];
        scal[0] = 1f;
        for (int pc = 0; pc < k; pc += kcStep)
        {
            int kc = Math.Min(kcStep, k - pc);
            scal[1] = pc == 0 ? 0f : 1f;
            for (int ic = 0; ic < m; ic += MC)
            {
                Block(Math.Min(MC, m - ic), n, kc, packedA + pc * mp + (long)ic * kc, packedB + pc * np, c + (long)ic * ldc, ldc, scal);
            }
        }
    }

    /// <summary>
    /// C = packedA * B (+ C when accumulating) with A packed by <see cref="PackAll"/> and B an unpacked
    /// row-major k x n matrix (row stride ldb, a multiple of 16 floats, and every row readable up to
    /// column <c>RoundUp(n, NR)</c>): the micro-kernels read B's 32-column panels in place, which pays
    /// when B was just written and is still in cache (the Winograd convolution's transformed input).
    /// Requires k &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPackedA(int m, int n, int k, float* packedA, float* b, int ldb, float* c, int ldc, bool accumulate = false) =>
        RunUnpackedB(m, n, k, packedA, 0, b, ldb, c, ldc, accumulate);

    /// <summary>
    /// C = A * B (+ C when accumulating) with both operands read in place: A given as its transpose, a
    /// row-major k x m matrix (row stride lda, a multiple of 16, every row readable up to column
    /// <c>RoundUp(m, MR)</c>), B a row-major k x n matrix (row stride ldb, a multiple of 16, every row
    /// readable up to column <c>RoundUp(n, NR)</c>). For small m and n with a long k, where packing
    /// would cost as much as the product (the Winograd weight gradient). Requires k &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunInPlace(int m, int n, int k, float* at, int lda, float* b, int ldb, float* c, int ldc, bool accumulate) =>
        RunUnpackedB(m, n, k, at, lda, b, ldb, c, ldc, accumulate);

    // The k blocks of a product with B row-major in place; A packed by PackAll (lda 0) or given as its
    // row-major transpose (row stride lda).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunUnpackedB(int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int kcStep = KcStep(k);
        long mp = RoundUp(m, MR);
        float* scal = stackalloc float[2];
        scal[0] = 1f;
        for (int pc = 0; pc < k; pc += kcStep)
        {
            int kc = Math.Min(kcStep, k - pc);
            scal[1] = pc == 0 && !accumulate ? 0f : 1f;
            for (int ic = 0; ic < m; ic += MC)
            {
                float* aBlock = lda == 0 ? a + (pc * mp) + ((long)ic * kc) : a + ((long)pc * lda) + ic;
                Block(Math.Min(MC, m - ic), n, kc, aBlock, b + ((long)pc * ldb), c + ((long)ic * ldc), ldc, scal, ldb, lda);
            }
        }
    }

    /// <summary>
    /// Offset in floats of element (p, j) of a k x n matrix B packed for <see cref="RunPackedAB"/>:
    /// k blocks of <see cref="KcStep"/> rows; within the block starting at row pc (kc rows), column
    /// panel jr / NR starts at <c>pc * RoundUp(n, NR) + jr * kc</c> and holds row p - pc at
    /// <c>(p - pc) * NR</c>.
    /// </summary>
    public static long PackedBOffset(int k, int n, int p, int j)
    {
        int kcStep = KcStep(k);
        int pc = p / kcStep * kcStep;
        int kc = Math.Min(kcStep, k - pc);
        int jr = j / NR * NR;
        return ((long)pc * RoundUp(n, NR)) + ((long)jr * kc) + ((long)(p - pc) * NR) + (j - jr);
    }

    /// <summary>Floats in a k x n matrix B packed for <see cref="RunPackedAB"/>.</summary>
    public static long PackedBSize(int k, int n) => (long)k * RoundUp(n, NR);

    // One MC x KC block of packed A against nc columns of packed B (32-column panels of kc rows):
    // C[0:mc, 0:nc] = alpha * A * B + beta * C with alpha = scal[0], beta = scal[1].
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int mc, int nc, int kc, float* aBlock, float* pb, float* cBlock, int ldc, float* scal, int ldb = 0, int lda = 0)
    {
        // Packed B (ldb 0): panel jr / NR at jr * kc, rows NR apart. Row-major B: column jr, rows ldb apart.
        // Packed A (lda 0): MR-row panels of MR * kc floats, MR apart per step of k. A^T stored row-major
        // (k x m, row stride lda): panel ir at column ir, lda apart per step of k.
        int bStep = ldb == 0 ? NR : ldb;
        long panelScale = ldb == 0 ? kc : 1;
        int aStep = lda == 0 ? MR : lda;
        long aAdvance = lda == 0 ? (long)MR * kc : MR;
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* bPanel = pb + (long)jr * panelScale;
            float* aPanel = aBlock;
            for (int ir = 0; ir < mc; ir += MR)
            {
                int mr = Math.Min(MR, mc - ir);
                float* cTile = cBlock + (long)ir * ldc + jr;
                if (mr > 8)
                {
                    Kernel12x32(kc, aPanel, aStep, bPanel, bStep, cTile, ldc, mr, nr, scal);
                }
                else if (mr > 4)
                {
                    Kernel8x32(kc, aPanel, aStep, bPanel, bStep, cTile, ldc, mr, nr, scal);
                }
                else
                {
                    Kernel4x32(kc, aPanel, aStep, bPanel, bStep, cTile, ldc, mr, nr, scal);
                }

                aPanel += aAdvance;
            }
        }
    }

    private static int RoundUp(int x, int m) => (x + m - 1) / m * m;

    // Packs op(A)[ic:ic+mc, pc:pc+kc] as consecutive MR x kc row panels, element (r, p) at p*MR + r,
    // with zeros in the rows past the end of a short last panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        float* panel = dst;
        for (int ir = 0; ir < mc; ir += MR, panel += MR * kc)
        {
            int mr = Math.Min(MR, mc - ir);
            float* d = panel;
            if (!transA)
            {
                float* src = a + (long)(ic + ir) * lda + pc;
                if (mr == MR)
                {
                    PackAFullPanel(src, lda, kc, d);
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        for (int r = 0; r < MR; r++)
                        {
                            d[r] = r < mr ? src[(long)r * lda + p] : 0f;
                        }

                        d += MR;
                    }
                }
            }
            else
            {
                float* src = a + (long)pc * lda + ic + ir;
                if (mr == MR)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + (long)p * lda;
                        Avx.Store(d, Avx.LoadVector256(s));
                        Sse.Store(d + 8, Sse.LoadVector128(s + 8));
                        d += MR;
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + (long)p * lda;
                        for (int r = 0; r < MR; r++)
                        {
                            d[r] = r < mr ? s[r] : 0f;
                        }

                        d += MR;
                    }
                }
            }
        }
    }

    // Twelve rows of a row-major A, eight columns at a time: rows 0-7 and rows 8-11 (with four zero
    // rows) are transposed in registers; each column's two stores run in column order, so the
    // second store's four spare floats are overwritten by the next column (buffers carry slack).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackAFullPanel(float* src, int lda, int kc, float* d)
    {
        float* r0 = src;
        float* r8 = src + 8L * lda;
        var z = Vector256<float>.Zero;
        int p = 0;
        for (; p <= kc - 8; p += 8)
        {
            GemmPacked.Transpose8x8(Avx.LoadVector256(r0 + p), Avx.LoadVector256(r0 + lda + p),
                Avx.LoadVector256(r0 + 2L * lda + p), Avx.LoadVector256(r0 + 3L * lda + p),
                Avx.LoadVector256(r0 + 4L * lda + p), Avx.LoadVector256(r0 + 5L * lda + p),
                Avx.LoadVector256(r0 + 6L * lda + p), Avx.LoadVector256(r0 + 7L * lda + p),
                out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
            GemmPacked.Transpose8x8(Avx.LoadVector256(r8 + p), Avx.LoadVector256(r8 + lda + p),
                Avx.LoadVector256(r8 + 2L * lda + p), Avx.LoadVector256(r8 + 3L * lda + p), z, z, z, z,
                out var e0, out var e1, out var e2, out var e3, out var e4, out var e5, out var e6, out var e7);
            Avx.Store(d, c0);
            Avx.Store(d + 8, e0);
            Avx.Store(d + 12, c1);
            Avx.Store(d + 20, e1);
            Avx.Store(d + 24, c2);
            Avx.Store(d + 32, e2);
            Avx.Store(d + 36, c3);
            Avx.Store(d + 44, e3);
            Avx.Store(d + 48, c4);
            Avx.Store(d + 56, e4);
            Avx.Store(d + 60, c5);
            Avx.Store(d + 68, e5);
            Avx.Store(d + 72, c6);
            Avx.Store(d + 80, e6);
            Avx.Store(d + 84, c7);
            Avx.Store(d + 92, e7);
            d += 8 * MR;
        }

        for (; p < kc; p++)
        {
            for (int r = 0; r < MR; r++)
            {
                d[r] = src[(long)r * lda + p];
            }

            d += MR;
        }
    }

    // Packs op(B)[pc:pc+kc, jc:jc+nc] as consecutive kc x NR micro-panels, element (p, j) at p*NR + j.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* dst)
    {
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* d = dst + (long)jr * kc;
            if (!transB)
            {
                float* src = b + (long)pc * ldb + jc + jr;
                if (nr == NR)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + (long)p * ldb;
                        Avx512F.Store(d, Avx512F.LoadVector512(s));
                        Avx512F.Store(d + 16, Avx512F.LoadVector512(s + 16));
                        d += NR;
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* s = src + (long)p * ldb;
                        int j = 0;
                        for (; j < nr; j++)
                        {
                            d[j] = s[j];
                        }

                        for (; j < NR; j++)
                        {
                            d[j] = 0f;
                        }

                        d += NR;
                    }
                }
            }
            else
            {
                // op(B)(p, j) = b[j*ldb + p]: source rows are the panel's columns, eight at a time.
                float* src = b + (long)(jc + jr) * ldb + pc;
                int full = nr / 8 * 8;
                for (int j0 = 0; j0 < full; j0 += 8)
                {
                    PackBTransposed8(src + (long)j0 * ldb, ldb, kc, d + j0);
                }

                for (int j = full; j < NR; j++)
                {
                    float* s = src + (long)j * ldb;
                    float* dj = d + j;
                    if (j < nr)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            dj[p * NR] = s[p];
                        }
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            dj[p * NR] = 0f;
                        }
                    }
                }
            }
        }
    }

    // Eight panel columns from eight source rows (a transposed B), by 8x8 register transposes.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBTransposed8(float* s0, int ldb, int kc, float* dh)
    {
        int p = 0;
        for (; p <= kc - 8; p += 8)
        {
            GemmPacked.Transpose8x8(Avx.LoadVector256(s0 + p), Avx.LoadVector256(s0 + ldb + p),
                Avx.LoadVector256(s0 + 2L * ldb + p), Avx.LoadVector256(s0 + 3L * ldb + p),
                Avx.LoadVector256(s0 + 4L * ldb + p), Avx.LoadVector256(s0 + 5L * ldb + p),
                Avx.LoadVector256(s0 + 6L * ldb + p), Avx.LoadVector256(s0 + 7L * ldb + p),
                out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
            float* dp = dh + (long)p * NR;
            Avx.Store(dp + 0 * NR, c0);
            Avx.Store(dp + 1 * NR, c1);
            Avx.Store(dp + 2 * NR, c2);
            Avx.Store(dp + 3 * NR, c3);
            Avx.Store(dp + 4 * NR, c4);
            Avx.Store(dp + 5 * NR, c5);
            Avx.Store(dp + 6 * NR, c6);
            Avx.Store(dp + 7 * NR, c7);
        }

        for (; p < kc; p++)
        {
            float* dp = dh + (long)p * NR;
            for (int j = 0; j < 8; j++)
            {
                dp[j] = s0[(long)j * ldb + p];
            }
        }
    }

    /// <summary>12x32 micro-kernel: acc = Apanel(12 rows of a 12-row slot x kc) * Bpanel(kc x 32), then C[0:mr, 0:nr] = alpha*acc + beta*C (beta == 0 ignores C); alpha = scal[0], beta = scal[1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(int kc, float* ap, int aStep, float* bp, int bStep, float* c, int ldc, int mr, int nr, float* scal)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;
        Vector512<float> c80 = Vector512<float>.Zero, c81 = Vector512<float>.Zero;
        Vector512<float> c90 = Vector512<float>.Zero, c91 = Vector512<float>.Zero;
        Vector512<float> c100 = Vector512<float>.Zero, c101 = Vector512<float>.Zero;
        Vector512<float> c110 = Vector512<float>.Zero, c111 = Vector512<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadVector512(bp);
            var b1 = Avx512F.LoadVector512(bp + 16);
            var av = Vector512.Create(ap[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(ap[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(ap[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(ap[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(ap[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(ap[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(ap[6]);
            c60 = Avx512F.FusedMultiplyAdd(av, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(ap[7]);
            c70 = Avx512F.FusedMultiplyAdd(av, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(av, b1, c71);
            av = Vector512.Create(ap[8]);
            c80 = Avx512F.FusedMultiplyAdd(av, b0, c80);
            c81 = Avx512F.FusedMultiplyAdd(av, b1, c81);
            av = Vector512.Create(ap[9]);
            c90 = Avx512F.FusedMultiplyAdd(av, b0, c90);
            c91 = Avx512F.FusedMultiplyAdd(av, b1, c91);
            av = Vector512.Create(ap[10]);
            c100 = Avx512F.FusedMultiplyAdd(av, b0, c100);
            c101 = Avx512F.FusedMultiplyAdd(av, b1, c101);
            av = Vector512.Create(ap[11]);
            c110 = Avx512F.FusedMultiplyAdd(av, b0, c110);
            c111 = Avx512F.FusedMultiplyAdd(av, b1, c111);
            ap += aStep;
            bp += bStep;
        }

        float alpha = scal[0];
        float beta = scal[1];
        var va = Vector512.Create(alpha);
        if (mr == 12 && nr == NR)
        {
            if (beta == 0f)
            {
                float* r = c;
                Avx512F.Store(r, Avx512F.Multiply(va, c00)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c01)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c10)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c11)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c20)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c21)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c30)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c31)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c40)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c41)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c50)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c51)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c60)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c61)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c70)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c71)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c80)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c81)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c90)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c91)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c100)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c101)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c110)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c111));
            }
            else
            {
                var vb = Vector512.Create(beta);
                float* r = c;
                StoreRow(r, c00, c01, va, vb); r += ldc;
                StoreRow(r, c10, c11, va, vb); r += ldc;
                StoreRow(r, c20, c21, va, vb); r += ldc;
                StoreRow(r, c30, c31, va, vb); r += ldc;
                StoreRow(r, c40, c41, va, vb); r += ldc;
                StoreRow(r, c50, c51, va, vb); r += ldc;
                StoreRow(r, c60, c61, va, vb); r += ldc;
                StoreRow(r, c70, c71, va, vb); r += ldc;
                StoreRow(r, c80, c81, va, vb); r += ldc;
                StoreRow(r, c90, c91, va, vb); r += ldc;
                StoreRow(r, c100, c101, va, vb); r += ldc;
                StoreRow(r, c110, c111, va, vb);
            }

            return;
        }

        float* tile = stackalloc float[12 * NR];
        Avx512F.Store(tile + 0 * NR, c00); Avx512F.Store(tile + 0 * NR + 16, c01);
        Avx512F.Store(tile + 1 * NR, c10); Avx512F.Store(tile + 1 * NR + 16, c11);
        Avx512F.Store(tile + 2 * NR, c20); Avx512F.Store(tile + 2 * NR + 16, c21);
        Avx512F.Store(tile + 3 * NR, c30); Avx512F.Store(tile + 3 * NR + 16, c31);
        Avx512F.Store(tile + 4 * NR, c40); Avx512F.Store(tile + 4 * NR + 16, c41);
        Avx512F.Store(tile + 5 * NR, c50); Avx512F.Store(tile + 5 * NR + 16, c51);
        Avx512F.Store(tile + 6 * NR, c60); Avx512F.Store(tile + 6 * NR + 16, c61);
        Avx512F.Store(tile + 7 * NR, c70); Avx512F.Store(tile + 7 * NR + 16, c71);
        Avx512F.Store(tile + 8 * NR, c80); Avx512F.Store(tile + 8 * NR + 16, c81);
        Avx512F.Store(tile + 9 * NR, c90); Avx512F.Store(tile + 9 * NR + 16, c91);
        Avx512F.Store(tile + 10 * NR, c100); Avx512F.Store(tile + 10 * NR + 16, c101);
        Avx512F.Store(tile + 11 * NR, c110); Avx512F.Store(tile + 11 * NR + 16, c111);
        StorePartial(tile, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>8x32 micro-kernel: acc = Apanel(8 rows of a 12-row slot x kc) * Bpanel(kc x 32), then C[0:mr, 0:nr] = alpha*acc + beta*C (beta == 0 ignores C); alpha = scal[0], beta = scal[1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* ap, int aStep, float* bp, int bStep, float* c, int ldc, int mr, int nr, float* scal)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;
        Vector512<float> c40 = Vector512<float>.Zero, c41 = Vector512<float>.Zero;
        Vector512<float> c50 = Vector512<float>.Zero, c51 = Vector512<float>.Zero;
        Vector512<float> c60 = Vector512<float>.Zero, c61 = Vector512<float>.Zero;
        Vector512<float> c70 = Vector512<float>.Zero, c71 = Vector512<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadVector512(bp);
            var b1 = Avx512F.LoadVector512(bp + 16);
            var av = Vector512.Create(ap[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(ap[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(ap[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(ap[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(ap[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(ap[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
            av = Vector512.Create(ap[6]);
            c60 = Avx512F.FusedMultiplyAdd(av, b0, c60);
            c61 = Avx512F.FusedMultiplyAdd(av, b1, c61);
            av = Vector512.Create(ap[7]);
            c70 = Avx512F.FusedMultiplyAdd(av, b0, c70);
            c71 = Avx512F.FusedMultiplyAdd(av, b1, c71);
            ap += aStep;
            bp += bStep;
        }

        float alpha = scal[0];
        float beta = scal[1];
        var va = Vector512.Create(alpha);
        if (mr == 8 && nr == NR)
        {
            if (beta == 0f)
            {
                float* r = c;
                Avx512F.Store(r, Avx512F.Multiply(va, c00)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c01)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c10)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c11)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c20)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c21)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c30)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c31)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c40)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c41)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c50)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c51)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c60)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c61)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c70)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c71));
            }
            else
            {
                var vb = Vector512.Create(beta);
                float* r = c;
                StoreRow(r, c00, c01, va, vb); r += ldc;
                StoreRow(r, c10, c11, va, vb); r += ldc;
                StoreRow(r, c20, c21, va, vb); r += ldc;
                StoreRow(r, c30, c31, va, vb); r += ldc;
                StoreRow(r, c40, c41, va, vb); r += ldc;
                StoreRow(r, c50, c51, va, vb); r += ldc;
                StoreRow(r, c60, c61, va, vb); r += ldc;
                StoreRow(r, c70, c71, va, vb);
            }

            return;
        }

        float* tile = stackalloc float[8 * NR];
        Avx512F.Store(tile + 0 * NR, c00); Avx512F.Store(tile + 0 * NR + 16, c01);
        Avx512F.Store(tile + 1 * NR, c10); Avx512F.Store(tile + 1 * NR + 16, c11);
        Avx512F.Store(tile + 2 * NR, c20); Avx512F.Store(tile + 2 * NR + 16, c21);
        Avx512F.Store(tile + 3 * NR, c30); Avx512F.Store(tile + 3 * NR + 16, c31);
        Avx512F.Store(tile + 4 * NR, c40); Avx512F.Store(tile + 4 * NR + 16, c41);
        Avx512F.Store(tile + 5 * NR, c50); Avx512F.Store(tile + 5 * NR + 16, c51);
        Avx512F.Store(tile + 6 * NR, c60); Avx512F.Store(tile + 6 * NR + 16, c61);
        Avx512F.Store(tile + 7 * NR, c70); Avx512F.Store(tile + 7 * NR + 16, c71);
        StorePartial(tile, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>4x32 micro-kernel: acc = Apanel(4 rows of a 12-row slot x kc) * Bpanel(kc x 32), then C[0:mr, 0:nr] = alpha*acc + beta*C (beta == 0 ignores C); alpha = scal[0], beta = scal[1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(int kc, float* ap, int aStep, float* bp, int bStep, float* c, int ldc, int mr, int nr, float* scal)
    {
        Vector512<float> c00 = Vector512<float>.Zero, c01 = Vector512<float>.Zero;
        Vector512<float> c10 = Vector512<float>.Zero, c11 = Vector512<float>.Zero;
        Vector512<float> c20 = Vector512<float>.Zero, c21 = Vector512<float>.Zero;
        Vector512<float> c30 = Vector512<float>.Zero, c31 = Vector512<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx512F.LoadVector512(bp);
            var b1 = Avx512F.LoadVector512(bp + 16);
            var av = Vector512.Create(ap[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(ap[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(ap[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(ap[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            ap += aStep;
            bp += bStep;
        }

        float alpha = scal[0];
        float beta = scal[1];
        var va = Vector512.Create(alpha);
        if (mr == 4 && nr == NR)
        {
            if (beta == 0f)
            {
                float* r = c;
                Avx512F.Store(r, Avx512F.Multiply(va, c00)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c01)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c10)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c11)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c20)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c21)); r += ldc;
                Avx512F.Store(r, Avx512F.Multiply(va, c30)); Avx512F.Store(r + 16, Avx512F.Multiply(va, c31));
            }
            else
            {
                var vb = Vector512.Create(beta);
                float* r = c;
                StoreRow(r, c00, c01, va, vb); r += ldc;
                StoreRow(r, c10, c11, va, vb); r += ldc;
                StoreRow(r, c20, c21, va, vb); r += ldc;
                StoreRow(r, c30, c31, va, vb);
            }

            return;
        }

        float* tile = stackalloc float[4 * NR];
        Avx512F.Store(tile + 0 * NR, c00); Avx512F.Store(tile + 0 * NR + 16, c01);
        Avx512F.Store(tile + 1 * NR, c10); Avx512F.Store(tile + 1 * NR + 16, c11);
        Avx512F.Store(tile + 2 * NR, c20); Avx512F.Store(tile + 2 * NR + 16, c21);
        Avx512F.Store(tile + 3 * NR, c30); Avx512F.Store(tile + 3 * NR + 16, c31);
        StorePartial(tile, c, ldc, mr, nr, alpha, beta);
    }
    // C[0:mr, 0:nr] = alpha*tile + beta*C (beta == 0 ignores C) from a 32-column tile: two masked
    // 512-bit stores per row instead of a scalar loop.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StorePartial(float* tile, float* c, int ldc, int mr, int nr, float alpha, float beta)
    {
        var lane = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var mLo = Vector512.LessThan(lane, Vector512.Create(nr)).AsSingle();
        var mHi = Vector512.LessThan(lane, Vector512.Create(nr - 16)).AsSingle();
        var va = Vector512.Create(alpha);
        var vb = Vector512.Create(beta);
        for (int i = 0; i < mr; i++)
        {
            float* crow = c + ((long)i * ldc);
            var lo = Avx512F.Multiply(va, Avx512F.LoadVector512(tile + (i * NR)));
            var hi = Avx512F.Multiply(va, Avx512F.LoadVector512(tile + (i * NR) + 16));
            if (beta != 0f)
            {
                lo = Avx512F.FusedMultiplyAdd(vb, Avx512F.MaskLoad(crow, mLo, Vector512<float>.Zero), lo);
                hi = Avx512F.FusedMultiplyAdd(vb, Avx512F.MaskLoad(crow + 16, mHi, Vector512<float>.Zero), hi);
            }

            Avx512F.MaskStore(crow, mLo, lo);
            Avx512F.MaskStore(crow + 16, mHi, hi);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* r, Vector512<float> lo, Vector512<float> hi, Vector512<float> va, Vector512<float> vb)
    {
        Avx512F.Store(r, Avx512F.FusedMultiplyAdd(va, lo, Avx512F.Multiply(vb, Avx512F.LoadVector512(r))));
        Avx512F.Store(r + 16, Avx512F.FusedMultiplyAdd(va, hi, Avx512F.Multiply(vb, Avx512F.LoadVector512(r + 16))));
    }
}

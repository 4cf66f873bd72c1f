using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Cache-blocked GEMM for AVX2 + FMA machines. op(A) is packed into MR-row micro-panels,
/// op(B) into NR-column micro-panels (both zero-padded), and a 6x16 register-blocked
/// micro-kernel (twelve ymm accumulators) computes each tile of C; short row tails use a
/// 4x16 variant. Loop nest: NC columns of B -> KC depth -> MC rows of A -> NR -> MR.
/// Packing buffers are per thread and reused, so steady-state calls do not allocate.
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmPacked
{
    public const int MR = 6;
    public const int NR = 16;
    public const int KC = 256;
    public const int MC = 144;
    public const int NC = 3072;

    [ThreadStatic] private static AlignedBuffer? t_packA;
    [ThreadStatic] private static AlignedBuffer? t_packB;

    /// <summary>Depth of the k blocks used for a problem of depth k: equal blocks (multiples of 8) no deeper than KC.</summary>
    public static int KcStep(int k)
    {
        int kBlocks = (k + KC - 1) / KC;
        return Math.Min(KC, RoundUp((k + kBlocks - 1) / kBlocks, 8));
    }

    // Packing may write up to this many floats past the end of the packed data.
    private const int PackSlack = 16;

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

                    Block(mc, nc, kc, aBlock, pb, 0, c + (long)ic * ldc + jc, ldc, scal);
                }
            }
        }
    }

    /// <summary>
    /// C = packedA * B with A packed by <see cref="PackAll"/> and B an unpacked row-major k x n matrix
    /// (row stride ldb, every row readable up to column <c>RoundUp(n, NR)</c>), single-threaded: the
    /// micro-kernels read B's 16-column panels in place, which pays when B was just written and is
    /// still in cache (the Winograd convolution's transformed input). Requires k &gt; 0.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunPackedA(int m, int n, int k, float* packedA, float* b, int ldb, float* c, int ldc)
    {
        int kcStep = KcStep(k);
        long mp = RoundUp(m, MR);
        float* scal = stackalloc float[2];
        scal[0] = 1f;
        for (int pc = 0; pc < k; pc += kcStep)
        {
            int kc = Math.Min(kcStep, k - pc);
            scal[1] = pc == 0 ? 0f : 1f;
            for (int ic = 0; ic < m; ic += MC)
            {
                Block(Math.Min(MC, m - ic), n, kc, packedA + (pc * mp) + ((long)ic * kc), b + ((long)pc * ldb), ldb, c + ((long)ic * ldc), ldc, scal);
            }
        }
    }

    // One block of packed A (mc rows, kc deep) against nc columns of B: packed 16-column panels of kc
    // rows (ldb 0) or row-major rows ldb apart read in place.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int mc, int nc, int kc, float* aBlock, float* b, int ldb, float* cBlock, int ldc, float* scal)
    {
        int bStep = ldb == 0 ? NR : ldb;
        long panelScale = ldb == 0 ? kc : 1;
        for (int jr = 0; jr < nc; jr += NR)
        {
            int nr = Math.Min(NR, nc - jr);
            float* bPanel = b + (jr * panelScale);
            float* aPanel = aBlock;
            for (int ir = 0; ir < mc;)
            {
                int mr = PanelRows(mc - ir);
                float* cTile = cBlock + (long)ir * ldc + jr;
                if (mr > 4)
                {
                    Kernel6x16(kc, aPanel, bPanel, bStep, cTile, ldc, mr, nr, scal);
                }
                else
                {
                    Kernel4x16(kc, aPanel, bPanel, bStep, cTile, ldc, mr, nr, scal);
                }

                aPanel += MR * kc;
                ir += mr;
            }
        }
    }

    private static int RoundUp(int x, int m) => (x + m - 1) / m * m;

    /// <summary>
    /// Height of the next row panel when <paramref name="remaining"/> rows of a block are left.
    /// Panels are 6 rows, except that a tail of 7 or 8 rows becomes 4 + 3 or 4 + 4, which the
    /// 4-row kernel computes faster than 6 + 1 or 6 + 2. Every panel occupies a 6-row slot in
    /// the packed buffer, so a block of mc rows always takes ceil(mc / 6) slots.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PanelRows(int remaining) =>
        remaining >= MR ? (remaining is MR + 1 or MR + 2 ? 4 : MR) : remaining;

    // Packs op(A)[ic:ic+mc, pc:pc+kc] as consecutive row panels (heights from PanelRows), each in an
    // MR x kc slot with element (r, p) at p*MR + r and zeros in unused rows.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        float* panel = dst;
        for (int ir = 0, mr; ir < mc; ir += mr, panel += MR * kc)
        {
            mr = PanelRows(mc - ir);
            float* d = panel;
            if (!transA)
            {
                float* src = a + (long)(ic + ir) * lda + pc;
                if (mr == MR)
                {
                    float* r0 = src;
                    float* r1 = r0 + lda;
                    float* r2 = r1 + lda;
                    float* r3 = r2 + lda;
                    float* r4 = r3 + lda;
                    float* r5 = r4 + lda;
                    int p = 0;
                    for (; p <= kc - 8; p += 8)
                    {
                        // Transpose 6 rows x 8 columns; each column is stored as 8 floats whose
                        // last two are overwritten by the next column (buffers carry slack).
                        Transpose8x8(Avx.LoadVector256(r0 + p), Avx.LoadVector256(r1 + p), Avx.LoadVector256(r2 + p),
                            Avx.LoadVector256(r3 + p), Avx.LoadVector256(r4 + p), Avx.LoadVector256(r5 + p),
                            Vector256<float>.Zero, Vector256<float>.Zero,
                            out var c0, out var c1, out var c2, out var c3, out var c4, out var c5, out var c6, out var c7);
                        Avx.Store(d, c0);
                        Avx.Store(d + 6, c1);
                        Avx.Store(d + 12, c2);
                        Avx.Store(d + 18, c3);
                        Avx.Store(d + 24, c4);
                        Avx.Store(d + 30, c5);
                        Avx.Store(d + 36, c6);
                        Avx.Store(d + 42, c7);
                        d += 8 * MR;
                    }

                    for (; p < kc; p++)
                    {
                        d[0] = r0[p];
                        d[1] = r1[p];
                        d[2] = r2[p];
                        d[3] = r3[p];
                        d[4] = r4[p];
                        d[5] = r5[p];
                        d += MR;
                    }
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
                        d[0] = s[0];
                        d[1] = s[1];
                        d[2] = s[2];
                        d[3] = s[3];
                        d[4] = s[4];
                        d[5] = s[5];
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
                        Avx.Store(d, Avx.LoadVector256(s));
                        Avx.Store(d + 8, Avx.LoadVector256(s + 8));
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
                // op(B)(p, j) = b[j*ldb + p]: source rows are the panel's columns.
                float* src = b + (long)(jc + jr) * ldb + pc;
                if (nr == NR)
                {
                    PackBTransposedFull(src, ldb, kc, d);
                }
                else
                {
                    for (int j = 0; j < NR; j++)
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
    }

    // Full 16-wide panel from a transposed source: 8x8 register transposes, two column halves.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBTransposedFull(float* src, int ldb, int kc, float* d)
    {
        for (int half = 0; half < 2; half++)
        {
            float* s0 = src + (long)(half * 8) * ldb;
            float* dh = d + half * 8;
            int p = 0;
            for (; p <= kc - 8; p += 8)
            {
                var r0 = Avx.LoadVector256(s0 + p);
                var r1 = Avx.LoadVector256(s0 + ldb + p);
                var r2 = Avx.LoadVector256(s0 + 2L * ldb + p);
                var r3 = Avx.LoadVector256(s0 + 3L * ldb + p);
                var r4 = Avx.LoadVector256(s0 + 4L * ldb + p);
                var r5 = Avx.LoadVector256(s0 + 5L * ldb + p);
                var r6 = Avx.LoadVector256(s0 + 6L * ldb + p);
                var r7 = Avx.LoadVector256(s0 + 7L * ldb + p);

                Transpose8x8(r0, r1, r2, r3, r4, r5, r6, r7,
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
    }

    /// <summary>8x8 transpose: output ci holds element i of every input row, in row order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7,
        out Vector256<float> c0, out Vector256<float> c1, out Vector256<float> c2, out Vector256<float> c3,
        out Vector256<float> c4, out Vector256<float> c5, out Vector256<float> c6, out Vector256<float> c7)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);

        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);

        c0 = Avx.Permute2x128(u0, u4, 0x20);
        c1 = Avx.Permute2x128(u1, u5, 0x20);
        c2 = Avx.Permute2x128(u2, u6, 0x20);
        c3 = Avx.Permute2x128(u3, u7, 0x20);
        c4 = Avx.Permute2x128(u0, u4, 0x31);
        c5 = Avx.Permute2x128(u1, u5, 0x31);
        c6 = Avx.Permute2x128(u2, u6, 0x31);
        c7 = Avx.Permute2x128(u3, u7, 0x31);
    }

    /// <summary>
    /// 6x16 micro-kernel: acc = Apanel(6 x kc) * Bpanel(kc x 16, rows bStep apart), then
    /// C[0:mr, 0:nr] = alpha*acc + beta*C (beta == 0 ignores C), with alpha = scal[0], beta = scal[1].
    /// The scalars come through memory so that no float argument occupies a vector register
    /// during the inner loop (all sixteen are needed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* ap, float* bp, int bStep, float* c, int ldc, int mr, int nr, float* scal)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;
        Vector256<float> c40 = Vector256<float>.Zero, c41 = Vector256<float>.Zero;
        Vector256<float> c50 = Vector256<float>.Zero, c51 = Vector256<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(bp);
            var b1 = Avx.LoadVector256(bp + 8);
            var av = Avx.BroadcastScalarToVector256(ap);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(ap + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(ap + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(ap + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Avx.BroadcastScalarToVector256(ap + 4);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Avx.BroadcastScalarToVector256(ap + 5);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            ap += MR;
            bp += bStep;
        }

        float alpha = scal[0];
        float beta = scal[1];
        var va = Vector256.Create(alpha);
        if (mr == MR && nr == NR)
        {
            if (beta == 0f)
            {
                float* r = c;
                Avx.Store(r, Avx.Multiply(va, c00)); Avx.Store(r + 8, Avx.Multiply(va, c01)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c10)); Avx.Store(r + 8, Avx.Multiply(va, c11)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c20)); Avx.Store(r + 8, Avx.Multiply(va, c21)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c30)); Avx.Store(r + 8, Avx.Multiply(va, c31)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c40)); Avx.Store(r + 8, Avx.Multiply(va, c41)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c50)); Avx.Store(r + 8, Avx.Multiply(va, c51));
            }
            else
            {
                var vb = Vector256.Create(beta);
                float* r = c;
                StoreRow(r, c00, c01, va, vb); r += ldc;
                StoreRow(r, c10, c11, va, vb); r += ldc;
                StoreRow(r, c20, c21, va, vb); r += ldc;
                StoreRow(r, c30, c31, va, vb); r += ldc;
                StoreRow(r, c40, c41, va, vb); r += ldc;
                StoreRow(r, c50, c51, va, vb);
            }

            return;
        }

        float* tile = stackalloc float[MR * NR];
        Avx.Store(tile + 0 * NR, c00); Avx.Store(tile + 0 * NR + 8, c01);
        Avx.Store(tile + 1 * NR, c10); Avx.Store(tile + 1 * NR + 8, c11);
        Avx.Store(tile + 2 * NR, c20); Avx.Store(tile + 2 * NR + 8, c21);
        Avx.Store(tile + 3 * NR, c30); Avx.Store(tile + 3 * NR + 8, c31);
        Avx.Store(tile + 4 * NR, c40); Avx.Store(tile + 4 * NR + 8, c41);
        Avx.Store(tile + 5 * NR, c50); Avx.Store(tile + 5 * NR + 8, c51);
        StorePartial(tile, NR, c, ldc, mr, nr, alpha, beta);
    }

    /// <summary>
    /// 4x16 micro-kernel for short row panels (up to four rows, stored in 6-row slots): eight
    /// accumulators keep both FMA pipes busy. Same contract as <see cref="Kernel6x16"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x16(int kc, float* ap, float* bp, int bStep, float* c, int ldc, int mr, int nr, float* scal)
    {
        Vector256<float> c00 = Vector256<float>.Zero, c01 = Vector256<float>.Zero;
        Vector256<float> c10 = Vector256<float>.Zero, c11 = Vector256<float>.Zero;
        Vector256<float> c20 = Vector256<float>.Zero, c21 = Vector256<float>.Zero;
        Vector256<float> c30 = Vector256<float>.Zero, c31 = Vector256<float>.Zero;

        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(bp);
            var b1 = Avx.LoadVector256(bp + 8);
            var av = Avx.BroadcastScalarToVector256(ap);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Avx.BroadcastScalarToVector256(ap + 1);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Avx.BroadcastScalarToVector256(ap + 2);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Avx.BroadcastScalarToVector256(ap + 3);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            ap += MR;
            bp += bStep;
        }

        float alpha = scal[0];
        float beta = scal[1];
        var va = Vector256.Create(alpha);
        if (mr == 4 && nr == NR)
        {
            if (beta == 0f)
            {
                float* r = c;
                Avx.Store(r, Avx.Multiply(va, c00)); Avx.Store(r + 8, Avx.Multiply(va, c01)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c10)); Avx.Store(r + 8, Avx.Multiply(va, c11)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c20)); Avx.Store(r + 8, Avx.Multiply(va, c21)); r += ldc;
                Avx.Store(r, Avx.Multiply(va, c30)); Avx.Store(r + 8, Avx.Multiply(va, c31));
            }
            else
            {
                var vb = Vector256.Create(beta);
                float* r = c;
                StoreRow(r, c00, c01, va, vb); r += ldc;
                StoreRow(r, c10, c11, va, vb); r += ldc;
                StoreRow(r, c20, c21, va, vb); r += ldc;
                StoreRow(r, c30, c31, va, vb);
            }

            return;
        }

        float* tile = stackalloc float[4 * NR];
        Avx.Store(tile + 0 * NR, c00); Avx.Store(tile + 0 * NR + 8, c01);
        Avx.Store(tile + 1 * NR, c10); Avx.Store(tile + 1 * NR + 8, c11);
        Avx.Store(tile + 2 * NR, c20); Avx.Store(tile + 2 * NR + 8, c21);
        Avx.Store(tile + 3 * NR, c30); Avx.Store(tile + 3 * NR + 8, c31);
        StorePartial(tile, NR, c, ldc, mr, nr, alpha, beta);
    }

    // C[0:mr, 0:nr] = alpha*tile + beta*C from a tile with the given row stride. Optimised from the
    // first call: a short-tailed product calls it once per micro-tile of its last column panel, and
    // left to tiered compilation it ran unoptimised code long enough to halve such products' speed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void StorePartial(float* tile, int stride, float* c, int ldc, int mr, int nr, float alpha, float beta)
    {
        for (int i = 0; i < mr; i++)
        {
            float* crow = c + (long)i * ldc;
            float* trow = tile + i * stride;
            if (beta == 0f)
            {
                for (int j = 0; j < nr; j++)
                {
                    crow[j] = alpha * trow[j];
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    crow[j] = alpha * trow[j] + beta * crow[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* r, Vector256<float> lo, Vector256<float> hi, Vector256<float> va, Vector256<float> vb)
    {
        Avx.Store(r, Fma.MultiplyAdd(va, lo, Avx.Multiply(vb, Avx.LoadVector256(r))));
        Avx.Store(r + 8, Fma.MultiplyAdd(va, hi, Avx.Multiply(vb, Avx.LoadVector256(r + 8))));
    }
}

using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class CpuGemmTests
{
    // op(A)(i,p) and op(B)(p,j) read from row-major storage with leading dimensions.
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc, int offA = 0, int offB = 0, int offC = 0)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = ta ? a[offA + p * lda + i] : a[offA + i * lda + p];
                    double bv = tb ? b[offB + j * ldb + p] : b[offB + p * ldb + j];
                    s += av * bv;
                }

                double old = beta == 0f ? 0 : (double)beta * c[offC + i * ldc + j];
                r[i * n + j] = alpha * s + old;
            }
        }

        return r;
    }

    private static float[] Extract(float[] c, int m, int n, int ldc, int off = 0)
    {
        var r = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            Array.Copy(c, off + i * ldc, r, i * n, n);
        }

        return r;
    }

    // Runs the case on every instruction-set path this processor has (widest first), each against
    // the double reference, and every narrower path against the widest one's result.
    private static void RunCase(bool ta, bool tb, int m, int n, int k, float alpha, float beta, int pad, int seed)
    {
        int lda = (ta ? m : k) + pad;
        int ldb = (tb ? k : n) + pad;
        int ldc = n + pad;
        var a = KernelAssert.Random(Math.Max(1, (ta ? k : m) * lda), seed);
        var b = KernelAssert.Random(Math.Max(1, (tb ? n : k) * ldb), seed + 1);
        var c0 = KernelAssert.Random(Math.Max(1, m * ldc), seed + 2);
        var expected = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
        double[]? widest = null;
        foreach (var isa in CpuFeatures.Supported)
        {
            var c = (float[])c0.Clone();
            using (CpuFeatures.Override(isa))
            {
                CpuGemm.Sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            }

            string what = $"{CpuFeatures.Name(isa)} ta={ta} tb={tb} {m}x{n}x{k}";
            var result = Extract(c, m, n, ldc);
            KernelAssert.Close(expected, result, 1e-4, what);
            if (widest is null)
            {
                widest = result.Select(v => (double)v).ToArray();
            }
            else
            {
                KernelAssert.Close(widest, result, 1e-4, what + " vs the widest path");
            }

            for (int i = 0; i < m; i++)
            {
                for (int j = n; j < ldc; j++)
                {
                    Assert.Equal(c0[i * ldc + j], c[i * ldc + j]);
                }
            }
        }
    }

    public static TheoryData<bool, bool> TransposeCombos => new()
    {
        { false, false }, { false, true }, { true, false }, { true, true },
    };

    [Theory]
    [MemberData(nameof(TransposeCombos))]
    public void OddSizesMatchReference(bool ta, bool tb)
    {
        int[][] shapes =
        [
            [1, 1, 1], [1, 17, 3], [3, 1, 65], [2, 130, 17], [130, 3, 33], [5, 9, 16], [16, 16, 16],
            [17, 33, 65], [33, 17, 1], [65, 130, 33], [130, 65, 257], [7, 300, 130], [37, 53, 300],
            [8, 40, 50], [14, 33, 70], [152, 20, 30],

            // Row tails of every 512-bit kernel (12, 8 and 4 rows), 32-column panels with and
            // without tails, and depths that are not multiples of 8.
            [12, 32, 31], [13, 64, 9], [20, 31, 40], [23, 95, 47], [28, 33, 100], [36, 97, 13],
        ];
        int seed = 10;
        foreach (var s in shapes)
        {
            RunCase(ta, tb, s[0], s[1], s[2], 1f, 0f, 0, seed++);
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombos))]
    public void AlphaBetaAndPaddedLeadingDimensions(bool ta, bool tb)
    {
        RunCase(ta, tb, 33, 65, 17, 1.5f, -0.75f, 3, 100);
        RunCase(ta, tb, 130, 47, 300, -0.5f, 1f, 5, 200);
        RunCase(ta, tb, 3, 17, 5, 2f, 0.5f, 1, 300);
        RunCase(ta, tb, 70, 90, 0, 2f, 0.5f, 2, 400);
    }

    [Theory]
    [MemberData(nameof(TransposeCombos))]
    public void LargeParallelProblemMatchesReference(bool ta, bool tb)
    {
        // Several KC blocks, partial MC/NR tiles and the multi-threaded split.
        RunCase(ta, tb, 161, 203, 531, 1f, 0.25f, 0, 500);
        RunCase(ta, tb, 400, 37, 300, 1f, 0f, 0, 600);
    }

    public static TheoryData<CpuIsa> IsaPaths
    {
        get
        {
            var data = new TheoryData<CpuIsa>();
            foreach (var isa in CpuFeatures.Supported)
            {
                data.Add(isa);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(IsaPaths))]
    public void BetaZeroIgnoresNaNInOutput(CpuIsa isa)
    {
        using var path = CpuFeatures.Override(isa);
        foreach (var (m, n, k) in new[] { (4, 5, 3), (64, 80, 70), (100, 96, 40) })
        {
            var a = KernelAssert.Random(m * k, 1);
            var b = KernelAssert.Random(k * n, 2);
            var c = new float[m * n];
            Array.Fill(c, float.NaN);
            CpuGemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
            KernelAssert.Close(Reference(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n), c);

            Array.Fill(c, float.NaN);
            CpuGemm.Sgemm(false, false, m, n, 0, 1f, a, k, b, n, 0f, c, n);
            Assert.All(c, v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public unsafe void ProductsReadingTheirOperandsInPlaceMatchReference()
    {
        // The Winograd convolution's entry points: A packed once, B row-major read in place (and on
        // the AVX-512 path A given as its transpose), with row tails, a partial last column panel and
        // two k blocks. Columns past n are written into C's padding; only the first n are checked.
        int m = 13, n = 37, k = 300, ldb = 80, ldc = 80, ldat = 32;
        var a = KernelAssert.Random(m * k, 71);
        var b = KernelAssert.Random(k * ldb, 72);
        var c0 = KernelAssert.Random(m * ldc, 73);
        var at = new float[k * ldat];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                at[(p * ldat) + i] = a[(i * k) + p];
            }
        }

        var product = Reference(false, false, m, n, k, 1f, a, k, b, ldb, 0f, c0, ldc);
        var accumulated = Reference(false, false, m, n, k, 1f, a, k, b, ldb, 1f, c0, ldc);
        int checkedPaths = 0;
        if (CpuFeatures.Supported.Contains(CpuIsa.Avx2))
        {
            var packed = new float[GemmPacked.PackedASize(m, k)];
            var c = (float[])c0.Clone();
            fixed (float* pa = a, pp = packed, pb = b, pc = c)
            {
                GemmPacked.PackAll(false, m, k, pa, k, pp);
                GemmPacked.RunPackedA(m, n, k, pp, pb, ldb, pc, ldc);
            }

            KernelAssert.Close(product, Extract(c, m, n, ldc), 1e-4, "avx2 RunPackedA");
            checkedPaths++;
        }

        if (CpuFeatures.Supported.Contains(CpuIsa.Avx512))
        {
            var packed = new float[GemmPacked512.PackedASize(m, k)];
            var c = (float[])c0.Clone();
            var cAcc = (float[])c0.Clone();
            var cIn = (float[])c0.Clone();
            fixed (float* pa = a, pp = packed, pb = b, pat = at, pc = c, pcAcc = cAcc, pcIn = cIn)
            {
                GemmPacked512.PackAll(false, m, k, pa, k, pp);
                GemmPacked512.RunPackedA(m, n, k, pp, pb, ldb, pc, ldc);
                GemmPacked512.RunPackedA(m, n, k, pp, pb, ldb, pcAcc, ldc, accumulate: true);
                GemmPacked512.RunInPlace(m, n, k, pat, ldat, pb, ldb, pcIn, ldc, accumulate: false);
            }

            KernelAssert.Close(product, Extract(c, m, n, ldc), 1e-4, "avx512 RunPackedA");
            KernelAssert.Close(accumulated, Extract(cAcc, m, n, ldc), 1e-4, "avx512 RunPackedA, accumulating");
            KernelAssert.Close(product, Extract(cIn, m, n, ldc), 1e-4, "avx512 RunInPlace");
            checkedPaths++;
        }

        if (checkedPaths == 0)
        {
            Assert.DoesNotContain(CpuFeatures.Supported, isa => isa is CpuIsa.Avx2 or CpuIsa.Avx512);
        }
    }

    [Fact]
    public void AlphaZeroOnlyScalesC()
    {
        var a = KernelAssert.Random(20 * 30, 1);
        var b = KernelAssert.Random(30 * 40, 2);
        var c = KernelAssert.Random(20 * 40, 3);
        var expected = c.Select(v => 0.5 * v).ToArray();
        CpuGemm.Sgemm(false, false, 20, 40, 30, 0f, a, 30, b, 40, 0.5f, c, 40);
        KernelAssert.Close(expected, c);
    }

    [Theory]
    [InlineData(5, false, true, 7, 9, 11)]
    [InlineData(4, true, false, 70, 90, 50)]
    [InlineData(3, true, true, 130, 140, 150)]
    public void BatchedWithBroadcastOperands(int batch, bool ta, bool tb, int m, int n, int k)
    {
        foreach (var isa in CpuFeatures.Supported)
        {
            using var path = CpuFeatures.Override(isa);
            Batched(batch, ta, tb, m, n, k);
        }
    }

    private static void Batched(int batch, bool ta, bool tb, int m, int n, int k)
    {
        int lda = ta ? m : k, ldb = tb ? k : n, ldc = n;
        int sizeA = m * k, sizeB = k * n, sizeC = m * n + 3;
        foreach (var (strideA, strideB) in new[] { (sizeA, sizeB), (0, sizeB), (sizeA, 0) })
        {
            var a = KernelAssert.Random(sizeA * batch, 7);
            var b = KernelAssert.Random(sizeB * batch, 8);
            var c = KernelAssert.Random(sizeC * batch, 9);
            var expected = new double[batch][];
            for (int i = 0; i < batch; i++)
            {
                expected[i] = Reference(ta, tb, m, n, k, 0.5f, a, lda, b, ldb, 2f, c, ldc,
                    i * strideA, i * strideB, i * sizeC);
            }

            CpuGemm.SgemmBatched(batch, ta, tb, m, n, k, 0.5f, a, lda, strideA, b, ldb, strideB, 2f, c, ldc, sizeC);
            for (int i = 0; i < batch; i++)
            {
                KernelAssert.Close(expected[i], Extract(c, m, n, ldc, i * sizeC), 1e-4, $"item {i}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransposeCombos))]
    public unsafe void PortablePathMatchesReference(bool ta, bool tb)
    {
        // The Vector<T> path is what runs on machines without AVX2/FMA; exercise it on any shape.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (9, 3, 17), (40, 70, 130), (3, 33, 65) })
        {
            int lda = ta ? m : k, ldb = tb ? k : n;
            var a = KernelAssert.Random(m * k, m);
            var b = KernelAssert.Random(k * n, n);
            var c = KernelAssert.Random(m * n, k);
            var expected = Reference(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, -1f, c, n);
            fixed (float* pa = a)
            fixed (float* pb = b)
            fixed (float* pc = c)
            {
                GemmSimple.Run(ta, tb, m, n, k, 1.25f, pa, lda, pb, ldb, -1f, pc, n, 0, m);
            }

            KernelAssert.Close(expected, c, 1e-4, $"{m}x{n}x{k}");
        }
    }

    [Fact]
    public void EveryPathThisProcessorHasIsListedAndTheWidestIsBest()
    {
        Assert.Equal(CpuFeatures.Best, CpuFeatures.Supported[0]);
        Assert.Contains(CpuIsa.Portable, CpuFeatures.Supported);
        Assert.Equal(System.Runtime.Intrinsics.X86.Avx512F.IsSupported && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated,
            CpuFeatures.IsSupported(CpuIsa.Avx512));
    }

    [Fact]
    public void IsaEnvironmentValueIsParsedAndCheckedAgainstTheProcessor()
    {
        Assert.Equal(CpuIsa.Avx512, CpuFeatures.Parse(null, CpuIsa.Avx512));
        Assert.Equal(CpuIsa.Avx2, CpuFeatures.Parse("", CpuIsa.Avx2));
        Assert.Equal(CpuIsa.Avx2, CpuFeatures.Parse(" AVX2 ", CpuIsa.Avx512));
        Assert.Equal(CpuIsa.Portable, CpuFeatures.Parse("portable", CpuIsa.Avx2));
        var unknown = Assert.Throws<InvalidOperationException>(() => CpuFeatures.Parse("sse9", CpuIsa.Avx512));
        Assert.Contains("SEMOLA_ISA=sse9", unknown.Message);
        var lacking = Assert.Throws<InvalidOperationException>(() => CpuFeatures.Parse("avx512", CpuIsa.Avx2));
        Assert.Contains("does not support", lacking.Message);
        Assert.Equal(1L << 20, CpuFeatures.ParseSize("1024K"));
        Assert.Equal(2L << 20, CpuFeatures.ParseSize("2M"));
        Assert.Equal(0, CpuFeatures.ParseSize("lots"));
    }

    [Fact]
    public void L2SizedBlockIsAMultipleOfThePanelHeight()
    {
        foreach (long l2 in new[] { 256L << 10, 1L << 20, 2L << 20, 32L << 20 })
        {
            int mc = GemmPacked512.ComputeMc(l2);
            Assert.Equal(0, mc % GemmPacked512.MR);
            Assert.InRange(mc, 4 * GemmPacked512.MR, 100 * GemmPacked512.MR);
        }

        Assert.True(GemmPacked512.ComputeMc(2L << 20) > GemmPacked512.ComputeMc(256L << 10));
    }

    [Fact]
    public void SingleThreadedCallsDoNotAllocateInSteadyState()
    {
        var a = KernelAssert.Random(64 * 80, 1);
        var b = KernelAssert.Random(80 * 72, 2);
        var c = new float[64 * 72];
        for (int warm = 0; warm < 3; warm++)
        {
            CpuGemm.Sgemm(false, false, 64, 72, 80, 1f, a, 80, b, 72, 0f, c, 72);
            CpuGemm.Sgemm(true, true, 8, 9, 10, 1f, a, 8, b, 10, 0f, c, 9);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        CpuGemm.Sgemm(false, false, 64, 72, 80, 1f, a, 80, b, 72, 0f, c, 72);
        CpuGemm.Sgemm(true, true, 8, 9, 10, 1f, a, 8, b, 10, 0f, c, 9);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void RejectsTooSmallBuffers()
    {
        var a = new float[10];
        var b = new float[10];
        var c = new float[10];
        Assert.Throws<ArgumentException>(() => CpuGemm.Sgemm(false, false, 4, 4, 4, 1f, a, 4, b, 4, 0f, c, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuGemm.Sgemm(false, false, 2, 2, 2, 1f, a, 1, b, 2, 0f, c, 2));
    }
}

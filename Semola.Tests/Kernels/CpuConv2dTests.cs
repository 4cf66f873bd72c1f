using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class CpuConv2dTests
{
    public record Shape(int N, int C, int H, int W, int Cout, int KH, int KW, int SH, int SW, int PH, int PW)
    {
        public int OH => (H + 2 * PH - KH) / SH + 1;

        public int OW => (W + 2 * PW - KW) / SW + 1;

        public override string ToString() => $"n{N} c{C} {H}x{W} -> {Cout}, k{KH}x{KW} s{SH},{SW} p{PH},{PW}";
    }

    public static TheoryData<Shape> Shapes => new()
    {
        new Shape(2, 3, 7, 9, 4, 3, 3, 1, 1, 1, 1),
        new Shape(3, 2, 8, 7, 5, 3, 3, 2, 2, 0, 0),
        new Shape(2, 3, 9, 6, 2, 5, 5, 1, 1, 2, 2),
        new Shape(2, 4, 6, 10, 3, 3, 2, 2, 1, 1, 0),
        new Shape(3, 5, 6, 7, 6, 1, 1, 1, 1, 0, 0),
        new Shape(2, 5, 7, 7, 4, 1, 1, 2, 2, 0, 0),
        new Shape(1, 16, 12, 12, 24, 3, 3, 1, 1, 1, 1),
        new Shape(5, 8, 11, 5, 7, 5, 3, 2, 2, 2, 1),
        new Shape(2, 3, 5, 5, 2, 5, 5, 1, 1, 0, 0),
        new Shape(2, 3, 8, 7, 3, 3, 3, 1, 1, 0, 1),
        new Shape(2, 2, 6, 6, 3, 5, 3, 1, 1, 1, 1),

        // Large enough for the lowering to be processed in several pixel chunks (boundaries mid-row).
        new Shape(2, 32, 17, 19, 8, 3, 3, 1, 1, 1, 1),
        new Shape(3, 40, 21, 23, 4, 3, 3, 2, 2, 1, 1),

        // A single image: the GEMMs themselves run multi-threaded.
        new Shape(1, 32, 20, 20, 32, 3, 3, 1, 1, 1, 1),

        // Channel counts that leave row tails in every packed kernel (6-row and 12-row panels).
        new Shape(2, 13, 9, 11, 21, 3, 3, 1, 1, 1, 1),

        // Deep lowered columns (several k blocks of the packed product, chunks of whole 32-pixel
        // panels) and a plane smaller than one panel; the AVX-512 path lowers these straight into
        // the GEMM's panels and computes their input gradient as a convolution.
        new Shape(3, 64, 14, 14, 20, 3, 3, 1, 1, 1, 1),
        new Shape(2, 20, 7, 7, 70, 3, 3, 1, 1, 1, 1),
        new Shape(2, 3, 30, 33, 5, 5, 5, 1, 1, 2, 2),

        // Small planes: several whole images per lowered chunk on the AVX-512 path (7x7: three
        // images a chunk, the last chunk short; 4x4: two; 7x5 with a 5x3 kernel: all six).
        new Shape(7, 20, 7, 7, 70, 3, 3, 1, 1, 1, 1),
        new Shape(5, 6, 4, 4, 9, 3, 3, 1, 1, 1, 1),
        new Shape(6, 3, 7, 5, 4, 5, 3, 1, 1, 2, 1),

        // Winograd F(2x2, 3x3): tile rows wider than 16 tiles (two segments of 16 on the AVX-512 path,
        // three of 8 on the AVX2 path, the last partial), a single row and column of tiles, odd planes
        // whose last tiles hang over the edge, and chunks of several images whose tiles straddle the
        // 32-column panels.
        new Shape(2, 9, 6, 37, 10, 3, 3, 1, 1, 1, 1),
        new Shape(3, 8, 1, 9, 8, 3, 3, 1, 1, 1, 1),
        new Shape(2, 11, 5, 1, 9, 3, 3, 1, 1, 1, 1),
        new Shape(9, 24, 3, 3, 16, 3, 3, 1, 1, 1, 1),
        new Shape(2, 256, 6, 6, 8, 3, 3, 1, 1, 1, 1),
        new Shape(2, 64, 2, 2, 128, 3, 3, 1, 1, 1, 1),

        // Several Winograd chunks whose tile rows are grouped two (14x14) or four (7x7) to a vector,
        // groups spanning two images and chunk boundaries inside an image.
        new Shape(5, 48, 14, 14, 40, 3, 3, 1, 1, 1, 1),
        new Shape(13, 64, 7, 7, 96, 3, 3, 1, 1, 1, 1),

        // The base CNN's 28x28 planes: 14 tiles a row, one vector of 16 on the AVX-512 path, two of 8
        // (the second partial) on the AVX2 path.
        new Shape(3, 16, 28, 28, 12, 3, 3, 1, 1, 1, 1),
    };

    // Direct loops: every (output, kernel tap) pair that lands inside the input.
    private static void Direct(Shape s, Action<int, int, int, int, int, int, int, int> visit)
    {
        for (int n = 0; n < s.N; n++)
        for (int co = 0; co < s.Cout; co++)
        for (int oy = 0; oy < s.OH; oy++)
        for (int ox = 0; ox < s.OW; ox++)
        for (int ci = 0; ci < s.C; ci++)
        for (int ki = 0; ki < s.KH; ki++)
        for (int kj = 0; kj < s.KW; kj++)
        {
            int iy = oy * s.SH - s.PH + ki;
            int ix = ox * s.SW - s.PW + kj;
            if (iy >= 0 && iy < s.H && ix >= 0 && ix < s.W)
            {
                int xi = ((n * s.C + ci) * s.H + iy) * s.W + ix;
                int wi = ((co * s.C + ci) * s.KH + ki) * s.KW + kj;
                int yi = ((n * s.Cout + co) * s.OH + oy) * s.OW + ox;
                visit(xi, wi, yi, n, co, ci, ki, kj);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesDirectLoops(Shape s)
    {
        var x = KernelAssert.Random(s.N * s.C * s.H * s.W, 1);
        var w = KernelAssert.Random(s.Cout * s.C * s.KH * s.KW, 2);
        var expected = new double[s.N * s.Cout * s.OH * s.OW];
        Direct(s, (xi, wi, yi, _, _, _, _, _) => expected[yi] += (double)x[xi] * w[wi]);

        EveryPath(expected, s, y => CpuConv2d.Forward(x, s.N, s.C, s.H, s.W, w, s.Cout, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, y));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardInputMatchesDirectLoops(Shape s)
    {
        var dy = KernelAssert.Random(s.N * s.Cout * s.OH * s.OW, 3);
        var w = KernelAssert.Random(s.Cout * s.C * s.KH * s.KW, 4);
        var expected = new double[s.N * s.C * s.H * s.W];
        Direct(s, (xi, wi, yi, _, _, _, _, _) => expected[xi] += (double)dy[yi] * w[wi]);

        EveryPath(expected, s, dx => CpuConv2d.BackwardInput(dy, s.N, s.C, s.H, s.W, w, s.Cout, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dx));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackwardWeightMatchesDirectLoops(Shape s)
    {
        var x = KernelAssert.Random(s.N * s.C * s.H * s.W, 5);
        var dy = KernelAssert.Random(s.N * s.Cout * s.OH * s.OW, 6);
        var expected = new double[s.Cout * s.C * s.KH * s.KW];
        Direct(s, (xi, wi, yi, _, _, _, _, _) => expected[wi] += (double)x[xi] * dy[yi]);

        EveryPath(expected, s, dw => CpuConv2d.BackwardWeight(x, s.N, s.C, s.H, s.W, dy, s.Cout, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dw));
    }

    // Runs the kernel (writing into a NaN-filled output) on every instruction-set path this
    // processor has, checking each against the direct loops and against the widest path.
    private static void EveryPath(double[] expected, Shape s, Action<float[]> run)
    {
        double[]? widest = null;
        var variants = CpuFeatures.Supported.SelectMany(isa => isa is CpuIsa.Avx512 or CpuIsa.Avx2
            ? new[] { (isa, true), (isa, false) }
            : new[] { (isa, true) });
        foreach (var (isa, winograd) in variants)
        {
            var output = new float[expected.Length];
            Array.Fill(output, float.NaN);
            using (CpuFeatures.Override(isa))
            using (CpuConv2d.OverrideWinograd(winograd))
            {
                run(output);
            }

            string what = $"{CpuFeatures.Name(isa)}{(winograd ? "" : " (Winograd off)")} {s}";
            KernelAssert.Close(expected, output, 1e-4, what);
            if (widest is null)
            {
                widest = output.Select(v => (double)v).ToArray();
            }
            else
            {
                KernelAssert.Close(widest, output, 1e-4, what + " vs the widest path");
            }
        }
    }

    [Fact]
    public void BackwardIsBitIdenticalFromRunToRunOnEveryPath()
    {
        // Both gradients are spread over the cores (images claimed dynamically); the weight gradient
        // is summed in a fixed number of groups, so neither result may depend on scheduling.
        var s = new Shape(13, 8, 10, 9, 12, 3, 3, 1, 1, 1, 1);
        var x = KernelAssert.Random(s.N * s.C * s.H * s.W, 7);
        var w = KernelAssert.Random(s.Cout * s.C * s.KH * s.KW, 8);
        var dy = KernelAssert.Random(s.N * s.Cout * s.OH * s.OW, 9);
        foreach (var isa in CpuFeatures.Supported)
        {
            using var path = CpuFeatures.Override(isa);
            float[]? firstDw = null, firstDx = null;
            for (int run = 0; run < 4; run++)
            {
                var dw = new float[w.Length];
                var dx = new float[x.Length];
                CpuConv2d.BackwardWeight(x, s.N, s.C, s.H, s.W, dy, s.Cout, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dw);
                CpuConv2d.BackwardInput(dy, s.N, s.C, s.H, s.W, w, s.Cout, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dx);
                firstDw ??= dw;
                firstDx ??= dx;
                Assert.True(firstDw.SequenceEqual(dw), $"{CpuFeatures.Name(isa)}: weight gradient changed on run {run}");
                Assert.True(firstDx.SequenceEqual(dx), $"{CpuFeatures.Name(isa)}: input gradient changed on run {run}");
            }
        }
    }

    [Fact]
    public void WinogradSwitchAcceptsOnOffAndRejectsOtherValues()
    {
        Assert.True(CpuConv2d.ParseWinograd(null));
        Assert.True(CpuConv2d.ParseWinograd(" "));
        Assert.True(CpuConv2d.ParseWinograd("1"));
        Assert.True(CpuConv2d.ParseWinograd("On"));
        Assert.False(CpuConv2d.ParseWinograd("0"));
        Assert.False(CpuConv2d.ParseWinograd("off"));
        var bad = Assert.Throws<InvalidOperationException>(() => CpuConv2d.ParseWinograd("fast"));
        Assert.Contains("SEMOLA_WINOGRAD='fast'", bad.Message);
    }

    [Fact]
    public void OutputSizeFollowsFloorFormula()
    {
        Assert.Equal(28, CpuConv2d.OutputSize(28, 3, 1, 1));
        Assert.Equal(14, CpuConv2d.OutputSize(28, 3, 2, 1));
        Assert.Equal(3, CpuConv2d.OutputSize(8, 3, 2, 0));
    }

    [Fact]
    public void RejectsMismatchedBuffers()
    {
        var x = new float[2 * 3 * 5 * 5];
        var w = new float[4 * 3 * 3 * 3];
        var y = new float[10];
        Assert.Throws<ArgumentException>(() => CpuConv2d.Forward(x, 2, 3, 5, 5, w, 4, 3, 3, 1, 1, 1, 1, y));
        Assert.Throws<ArgumentException>(() => CpuConv2d.Forward(x, 2, 3, 5, 5, w, 4, 7, 7, 1, 1, 0, 0, y));
    }
}

using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class CpuPool2dTests
{
    public record Shape(int N, int C, int H, int W, int KH, int KW, int SH, int SW, int PH, int PW)
    {
        public int OH => (H + 2 * PH - KH) / SH + 1;

        public int OW => (W + 2 * PW - KW) / SW + 1;

        public override string ToString() => $"n{N} c{C} {H}x{W} k{KH}x{KW} s{SH},{SW} p{PH},{PW}";
    }

    public static TheoryData<Shape> Shapes => new()
    {
        new Shape(2, 3, 8, 8, 2, 2, 2, 2, 0, 0),
        new Shape(2, 2, 7, 9, 3, 3, 2, 2, 1, 1),
        new Shape(1, 4, 6, 5, 3, 2, 1, 2, 1, 0),
        new Shape(3, 2, 5, 5, 3, 3, 1, 1, 1, 1),
        new Shape(4, 32, 28, 28, 2, 2, 2, 2, 0, 0),
        new Shape(3, 5, 14, 14, 2, 2, 2, 2, 0, 0),
        new Shape(2, 3, 9, 11, 2, 2, 2, 2, 0, 0),
        new Shape(2, 2, 6, 70, 2, 2, 2, 2, 0, 0),
    };

    // Calls visit(outIndex, plane, iy, ix) for every in-bounds tap of every window.
    private static void Windows(Shape s, Action<int, int, int, int> visit)
    {
        for (int p = 0; p < s.N * s.C; p++)
        for (int oy = 0; oy < s.OH; oy++)
        for (int ox = 0; ox < s.OW; ox++)
        for (int ki = 0; ki < s.KH; ki++)
        for (int kj = 0; kj < s.KW; kj++)
        {
            int iy = oy * s.SH - s.PH + ki;
            int ix = ox * s.SW - s.PW + kj;
            if (iy >= 0 && iy < s.H && ix >= 0 && ix < s.W)
            {
                visit((p * s.OH + oy) * s.OW + ox, p, iy, ix);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MaxForwardAndBackwardMatchDirectLoops(Shape s)
    {
        var x = KernelAssert.Random(s.N * s.C * s.H * s.W, 11);
        int outLen = s.N * s.C * s.OH * s.OW;
        var best = new double[outLen];
        var bestIdx = new int[outLen];
        Array.Fill(best, double.NegativeInfinity);
        Array.Fill(bestIdx, -1);
        Windows(s, (o, p, iy, ix) =>
        {
            double v = x[(p * s.H + iy) * s.W + ix];
            if (v > best[o])
            {
                best[o] = v;
                bestIdx[o] = iy * s.W + ix;
            }
        });

        var y = new float[outLen];
        var arg = new int[outLen];
        foreach (var isa in CpuFeatures.Supported)
        {
            using (CpuFeatures.Override(isa))
            {
                CpuPool2d.MaxForward(x, s.N, s.C, s.H, s.W, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, y, arg);
            }

            KernelAssert.Close(best, y, 1e-6, $"{CpuFeatures.Name(isa)} {s}");
            Assert.Equal(bestIdx, arg);
        }

        var dy = KernelAssert.Random(outLen, 12);
        var expected = new double[x.Length];
        for (int o = 0; o < outLen; o++)
        {
            int plane = o / (s.OH * s.OW);
            expected[plane * s.H * s.W + bestIdx[o]] += dy[o];
        }

        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN);
        CpuPool2d.MaxBackward(dy, arg, s.N, s.C, s.H, s.W, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dx);
        KernelAssert.Close(expected, dx, 1e-5, s.ToString());
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void AvgForwardAndBackwardMatchDirectLoops(Shape s)
    {
        var x = KernelAssert.Random(s.N * s.C * s.H * s.W, 21);
        int outLen = s.N * s.C * s.OH * s.OW;
        double inv = 1.0 / (s.KH * s.KW);
        var expectedY = new double[outLen];
        Windows(s, (o, p, iy, ix) => expectedY[o] += x[(p * s.H + iy) * s.W + ix] * inv);

        var y = new float[outLen];
        CpuPool2d.AvgForward(x, s.N, s.C, s.H, s.W, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, y);
        KernelAssert.Close(expectedY, y, 1e-5, s.ToString());

        var dy = KernelAssert.Random(outLen, 22);
        var expectedDx = new double[x.Length];
        Windows(s, (o, p, iy, ix) => expectedDx[(p * s.H + iy) * s.W + ix] += dy[o] * inv);
        var dx = new float[x.Length];
        Array.Fill(dx, float.NaN);
        CpuPool2d.AvgBackward(dy, s.N, s.C, s.H, s.W, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, dx);
        KernelAssert.Close(expectedDx, dx, 1e-5, s.ToString());
    }

    [Fact]
    public void MaxPoolingPropagatesNaN()
    {
        var x = new float[] { 1, float.NaN, 3, 4 };
        var y = new float[1];
        var arg = new int[1];
        CpuPool2d.MaxForward(x, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0, y, arg);
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal(1, arg[0]);
    }

    [Theory]
    [InlineData(36)]
    [InlineData(29)]
    public void MaxPoolingAgreesOnEveryPathWithTiesAndNaN(int width)
    {
        // Few distinct values (many ties: the first element in row-major order wins) and a NaN in
        // some windows; every path must give the same values and indices. Rows of 18 and 14 windows
        // (an odd width leaves its last column out) end in partial groups of 16 and of 8 windows.
        var s = new Shape(2, 3, 10, width, 2, 2, 2, 2, 0, 0);
        var rng = new Random(5);
        var x = new float[s.N * s.C * s.H * s.W];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.Next(3) - 1;
        }

        x[37] = float.NaN;
        x[400] = float.NaN;
        int outLen = s.N * s.C * s.OH * s.OW;
        float[]? firstY = null;
        int[]? firstArg = null;
        foreach (var isa in CpuFeatures.Supported)
        {
            var y = new float[outLen];
            var arg = new int[outLen];
            using (CpuFeatures.Override(isa))
            {
                CpuPool2d.MaxForward(x, s.N, s.C, s.H, s.W, s.KH, s.KW, s.SH, s.SW, s.PH, s.PW, y, arg);
            }

            firstY ??= y;
            firstArg ??= arg;
            Assert.Equal(firstArg, arg);
            for (int o = 0; o < outLen; o++)
            {
                Assert.True(firstY[o].Equals(y[o]) || (firstY[o] == 0f && y[o] == 0f), $"{CpuFeatures.Name(isa)}: output {o}");
            }
        }

        Assert.Contains(firstY!, float.IsNaN);
    }

    [Fact]
    public void GlobalAverageMatchesMeanAndSpreadsGradient()
    {
        int n = 3, c = 4, h = 5, w = 7;
        var x = KernelAssert.Random(n * c * h * w, 31);
        var expected = new double[n * c];
        for (int p = 0; p < n * c; p++)
        {
            for (int i = 0; i < h * w; i++)
            {
                expected[p] += x[p * h * w + i] / (double)(h * w);
            }
        }

        var y = new float[n * c];
        CpuPool2d.GlobalAvgForward(x, n, c, h, w, y);
        KernelAssert.Close(expected, y, 1e-5);

        var dy = KernelAssert.Random(n * c, 32);
        var dx = new float[x.Length];
        CpuPool2d.GlobalAvgBackward(dy, n, c, h, w, dx);
        var expectedDx = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            expectedDx[i] = dy[i / (h * w)] / (double)(h * w);
        }

        KernelAssert.Close(expectedDx, dx, 1e-6);
    }
}

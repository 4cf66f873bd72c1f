using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class CpuMatrixExpTests
{
    private static float[] RandomMatrix(Random rng, int n, double targetNorm1)
    {
        var m = new double[n * n];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] = rng.NextDouble() * 2 - 1;
        }

        double norm = Norm1(m, n);
        var f = new float[n * n];
        for (int i = 0; i < m.Length; i++)
        {
            f[i] = (float)(m[i] * targetNorm1 / norm);
        }

        return f;
    }

    private static double Norm1(double[] m, int n)
    {
        double best = 0;
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                s += Math.Abs(m[i * n + j]);
            }

            best = Math.Max(best, s);
        }

        return best;
    }

    private static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i];
        }

        return d;
    }

    private static double RelativeError(ReadOnlySpan<float> actual, double[] expected)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = actual[i] - expected[i];
            num += d * d;
            den += expected[i] * expected[i];
        }

        return Math.Sqrt(num / Math.Max(den, 1e-300));
    }

    private static double RelativeError(ReadOnlySpan<double> actual, double[] expected)
    {
        double num = 0, den = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = actual[i] - expected[i];
            num += d * d;
            den += expected[i] * expected[i];
        }

        return Math.Sqrt(num / Math.Max(den, 1e-300));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    [InlineData(0.7)]
    [InlineData(3.0)]
    [InlineData(-10.0)]
    [InlineData(50.0)]
    public void RotationGeneratorGivesCosSin(double t)
    {
        float[] a = [0f, (float)-t, (float)t, 0f];
        double tf = (float)t;
        var e = new float[4];
        CpuMatrixExp.Forward(a, 1, 2, e);
        double c = Math.Cos(tf), s = Math.Sin(tf);
        Assert.Equal(c, e[0], 1e-6);
        Assert.Equal(-s, e[1], 1e-6);
        Assert.Equal(s, e[2], 1e-6);
        Assert.Equal(c, e[3], 1e-6);
    }

    [Fact]
    public void HomogeneousImageRotationKeepsLastRow()
    {
        const double t = 1.3;
        float[] a = [0, (float)-t, 0, (float)t, 0, 0, 0, 0, 0];
        var e = new float[9];
        CpuMatrixExp.Forward(a, 1, 3, e);
        double tf = (float)t;
        double[] expected = [Math.Cos(tf), -Math.Sin(tf), 0, Math.Sin(tf), Math.Cos(tf), 0, 0, 0, 1];
        for (int i = 0; i < 9; i++)
        {
            Assert.Equal(expected[i], e[i], 1e-6);
        }
    }

    [Theory]
    [InlineData(3, 1.0)]
    [InlineData(4, 5.0)]
    [InlineData(6, 40.0)]
    public void NilpotentMatchesFiniteSeries(int n, double scale)
    {
        var rng = new Random(7 + n);
        var a = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                a[i * n + j] = (float)((rng.NextDouble() * 2 - 1) * scale);
            }
        }

        double[] ad = ToDouble(a);
        double[] expected = ReferenceExpm.Identity(n);
        double[] term = ReferenceExpm.Identity(n);
        for (int k = 1; k < n; k++)
        {
            term = ReferenceExpm.Mul(term, ad, n);
            for (int i = 0; i < term.Length; i++)
            {
                term[i] /= k;
                expected[i] += term[i];
            }
        }

        var e = new float[n * n];
        CpuMatrixExp.Forward(a, 1, n, e);
        Assert.True(RelativeError(e, expected) < 2e-7, $"relative error {RelativeError(e, expected)}");
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(1f, e[i * n + i]);
            for (int j = 0; j < i; j++)
            {
                Assert.Equal(0f, e[i * n + j]);
            }
        }
    }

    [Fact]
    public void DiagonalGivesElementwiseExp()
    {
        float[] d = [-20f, -3f, 0f, 0.001f, 1f, 2.5f, 10f, 30f];
        int n = d.Length;
        var a = new float[n * n];
        for (int i = 0; i < n; i++)
        {
            a[i * n + i] = d[i];
        }

        var e = new float[n * n];
        CpuMatrixExp.Forward(a, 1, n, e);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i == j)
                {
                    double x = Math.Exp(d[i]);
                    Assert.True(Math.Abs(e[i * n + i] - x) <= 3e-7 * x, $"exp({d[i]}) = {e[i * n + i]}, expected {x}");
                }
                else
                {
                    Assert.Equal(0f, e[i * n + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(12)]
    public void RandomMatricesMatchReference(int n)
    {
        var rng = new Random(100 + n);
        foreach (double norm in new[] { 0.1, 1.0, 10.0, 50.0 })
        {
            for (int rep = 0; rep < 5; rep++)
            {
                float[] a = RandomMatrix(rng, n, norm);
                double[] expected = ReferenceExpm.Expm(ToDouble(a), n);
                var e = new float[n * n];
                CpuMatrixExp.Forward(a, 1, n, e);
                double err = RelativeError(e, expected);
                Assert.True(err < 2e-6, $"n={n} norm={norm}: relative error {err}");

                var ed = new double[n * n];
                CpuMatrixExp.Forward(ToDouble(a), 1, n, ed);
                double errd = RelativeError(ed, expected);
                Assert.True(errd < 1e-10, $"n={n} norm={norm}: double relative error {errd}");
            }
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    public void ExpTimesExpOfNegativeIsIdentity(int n)
    {
        var rng = new Random(200 + n);
        foreach (double norm in new[] { 0.3, 2.0, 4.0 })
        {
            float[] a = RandomMatrix(rng, n, norm);
            float[] minus = a.Select(x => -x).ToArray();
            var e1 = new float[n * n];
            var e2 = new float[n * n];
            CpuMatrixExp.Forward(a, 1, n, e1);
            CpuMatrixExp.Forward(minus, 1, n, e2);
            double[] p = ReferenceExpm.Mul(ToDouble(e1), ToDouble(e2), n);
            double[] id = ReferenceExpm.Identity(n);
            for (int i = 0; i < p.Length; i++)
            {
                Assert.True(Math.Abs(p[i] - id[i]) < 5e-5, $"n={n} norm={norm}: entry {i} = {p[i]}");
            }
        }
    }

    [Theory]
    [InlineData(2, 0.05)]
    [InlineData(2, 3.0)]
    [InlineData(3, 0.5)]
    [InlineData(3, 2.0)]
    [InlineData(3, 20.0)]
    [InlineData(4, 1.0)]
    [InlineData(4, 8.0)]
    [InlineData(8, 0.2)]
    [InlineData(8, 6.0)]
    [InlineData(8, 30.0)]
    public void BackwardMatchesFiniteDifferences(int n, double norm)
    {
        var rng = new Random(300 + n + (int)(norm * 10));
        float[] a = RandomMatrix(rng, n, norm);
        float[] g = RandomMatrix(rng, n, n);
        double[] ad = ToDouble(a), gd = ToDouble(g);

        // Central differences of the double reference objective.
        var fd = new double[n * n];
        double h = 1e-5 * Math.Max(1.0, norm / n);
        for (int k = 0; k < n * n; k++)
        {
            double[] ap = (double[])ad.Clone();
            double[] am = (double[])ad.Clone();
            ap[k] += h;
            am[k] -= h;
            fd[k] = (ReferenceExpm.Objective(ap, gd, n) - ReferenceExpm.Objective(am, gd, n)) / (2 * h);
        }

        var grad = new float[n * n];
        CpuMatrixExp.Backward(a, g, 1, n, grad);
        double err = RelativeError(grad, fd);
        Assert.True(err < 2e-5, $"n={n} norm={norm}: float gradient relative error {err}");

        var gradD = new double[n * n];
        CpuMatrixExp.Backward(ad, gd, 1, n, gradD);
        double errD = RelativeError(gradD, fd);
        Assert.True(errD < 1e-6, $"n={n} norm={norm}: double gradient relative error {errD}");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void FloatApiMatchesDoubleApiAcrossAllDegrees(int n)
    {
        // Norms chosen to hit every approximant degree and the scaled branch of both APIs.
        var rng = new Random(500 + n);
        foreach (double norm in new[] { 0.01, 0.05, 0.2, 0.5, 1.0, 1.2, 2.0, 2.9, 4.0, 5.0, 5.3, 7.0, 20.0, 60.0 })
        {
            float[] a = RandomMatrix(rng, n, norm);
            float[] g = RandomMatrix(rng, n, 1.0);
            double[] ad = ToDouble(a), gd = ToDouble(g);
            var e = new float[n * n];
            var ed = new double[n * n];
            var grad = new float[n * n];
            var gradD = new double[n * n];
            CpuMatrixExp.Forward(a, 1, n, e);
            CpuMatrixExp.Forward(ad, 1, n, ed);
            CpuMatrixExp.Backward(a, g, 1, n, grad);
            CpuMatrixExp.Backward(ad, gd, 1, n, gradD);
            double errE = RelativeError(e, ed), errG = RelativeError(grad, gradD);
            Assert.True(errE < 1e-6, $"n={n} norm={norm}: exp relative error {errE}");
            Assert.True(errG < 2e-6, $"n={n} norm={norm}: gradient relative error {errG}");
        }
    }

    [Fact]
    public void BackwardOfScalarIsExp()
    {
        float[] a = [1.5f];
        float[] g = [2f];
        var grad = new float[1];
        CpuMatrixExp.Backward(a, g, 1, 1, grad);
        Assert.Equal(2 * Math.Exp(1.5), grad[0], 1e-5);
    }

    [Fact]
    public void BackwardMatchesBlockMatrixIdentity()
    {
        // gradA = top-right block of expm([[A^T, G], [0, A^T]]).
        const int n = 3;
        var rng = new Random(11);
        float[] a = RandomMatrix(rng, n, 2.5);
        float[] g = RandomMatrix(rng, n, 1.0);
        var big = new double[4 * n * n];
        int m = 2 * n;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                big[i * m + j] = a[j * n + i];
                big[(i + n) * m + j + n] = a[j * n + i];
                big[i * m + j + n] = g[i * n + j];
            }
        }

        double[] e = ReferenceExpm.Expm(big, m);
        var expected = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[i * n + j] = e[i * m + j + n];
            }
        }

        var grad = new float[n * n];
        CpuMatrixExp.Backward(a, g, 1, n, grad);
        Assert.True(RelativeError(grad, expected) < 2e-6);
    }

    [Theory]
    [InlineData(3, 20000)]
    [InlineData(2, 5000)]
    [InlineData(5, 3000)]
    public void LargeBatchMatchesSingleMatrixCalls(int n, int batch)
    {
        var rng = new Random(400 + n);
        int nn = n * n;
        var a = new float[batch * nn];
        var g = new float[batch * nn];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (float)((rng.NextDouble() * 2 - 1) * 3);
            g[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        var e = new float[batch * nn];
        var grad = new float[batch * nn];
        CpuMatrixExp.Forward(a, batch, n, e);
        CpuMatrixExp.Backward(a, g, batch, n, grad);
        var one = new float[nn];
        var oneGrad = new float[nn];
        for (int b = 0; b < batch; b += 997)
        {
            CpuMatrixExp.Forward(a.AsSpan(b * nn, nn), 1, n, one);
            CpuMatrixExp.Backward(a.AsSpan(b * nn, nn), g.AsSpan(b * nn, nn), 1, n, oneGrad);
            Assert.Equal(one, e.AsSpan(b * nn, nn).ToArray());
            Assert.Equal(oneGrad, grad.AsSpan(b * nn, nn).ToArray());
        }
    }

    [Fact]
    public void NonFiniteInputGivesNaNOnlyForThatMatrix()
    {
        float[] a = [float.NaN, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var e = new float[18];
        CpuMatrixExp.Forward(a, 2, 3, e);
        Assert.All(e.Take(9), x => Assert.True(float.IsNaN(x)));
        Assert.Equal([1f, 0, 0, 0, 1f, 0, 0, 0, 1f], e.Skip(9).ToArray());
    }

    [Fact]
    public void RejectsShortBuffers()
    {
        Assert.Throws<ArgumentException>(() => CpuMatrixExp.Forward(new float[8], 1, 3, new float[9]));
        Assert.Throws<ArgumentException>(() => CpuMatrixExp.Forward(new float[9], 1, 3, new float[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CpuMatrixExp.Forward(new float[9], 1, 0, new float[9]));
    }
}

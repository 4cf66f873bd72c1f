using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public class CpuGridSampleTests
{
    private static float[] RandomArray(Random rng, int length, double scale = 1.0)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++)
        {
            x[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        }

        return x;
    }

    /// <summary>Straightforward double-precision reference following the documented mapping.</summary>
    private static double[] ReferenceForward(float[] image, double[] theta, int b, int c, int h, int w)
    {
        var output = new double[b * c * h * w];
        for (int bi = 0; bi < b; bi++)
        {
            for (int i = 0; i < h; i++)
            {
                for (int j = 0; j < w; j++)
                {
                    double x = w > 1 ? -1 + 2.0 * j / (w - 1) : -1;
                    double y = h > 1 ? -1 + 2.0 * i / (h - 1) : -1;
                    double xin = theta[6 * bi] * x + theta[6 * bi + 1] * y + theta[6 * bi + 2];
                    double yin = theta[6 * bi + 3] * x + theta[6 * bi + 4] * y + theta[6 * bi + 5];
                    double px = (xin + 1) / 2 * (w - 1);
                    double py = (yin + 1) / 2 * (h - 1);
                    int x0 = (int)Math.Floor(px), y0 = (int)Math.Floor(py);
                    double fx = px - x0, fy = py - y0;
                    for (int ch = 0; ch < c; ch++)
                    {
                        double Pixel(int yy, int xx) =>
                            xx < 0 || yy < 0 || xx >= w || yy >= h ? 0 : image[((bi * c + ch) * h + yy) * w + xx];
                        output[((bi * c + ch) * h + i) * w + j] =
                            (1 - fy) * ((1 - fx) * Pixel(y0, x0) + fx * Pixel(y0, x0 + 1)) +
                            fy * ((1 - fx) * Pixel(y0 + 1, x0) + fx * Pixel(y0 + 1, x0 + 1));
                    }
                }
            }
        }

        return output;
    }

    [Theory]
    [InlineData(1, 1, 28, 28)]
    [InlineData(3, 2, 5, 7)]
    [InlineData(64, 1, 28, 28)]
    public void IdentityThetaReproducesImage(int b, int c, int h, int w)
    {
        var rng = new Random(1);
        float[] image = RandomArray(rng, b * c * h * w);
        var theta = new float[6 * b];
        for (int i = 0; i < b; i++)
        {
            theta[6 * i] = 1;
            theta[6 * i + 4] = 1;
        }

        var output = new float[image.Length];
        CpuGridSample.Forward(image, theta, b, c, h, w, output);
        Assert.Equal(image, output);
    }

    [Fact]
    public void QuarterTurnIsIndexPermutation()
    {
        const int n = 9;
        var rng = new Random(2);
        float[] image = RandomArray(rng, 2 * n * n);
        float[] theta = [0, -1, 0, 1, 0, 0];
        var output = new float[image.Length];
        CpuGridSample.Forward(image, theta, 1, 2, n, n, output);

        // x_in = -y, y_in = x: output(i, j) = input(j, n - 1 - i).
        for (int ch = 0; ch < 2; ch++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(image[(ch * n + j) * n + (n - 1 - i)], output[(ch * n + i) * n + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 2, 6, 9)]
    [InlineData(2, 1, 28, 28)]
    [InlineData(1, 1, 1, 5)]
    [InlineData(1, 2, 4, 1)]
    public void ForwardMatchesReference(int b, int c, int h, int w)
    {
        var rng = new Random(3 + h);
        float[] image = RandomArray(rng, b * c * h * w);
        float[] theta = RandomArray(rng, 6 * b, 1.2); // includes samples outside the image
        var output = new float[image.Length];
        CpuGridSample.Forward(image, theta, b, c, h, w, output);
        double[] expected = ReferenceForward(image, theta.Select(x => (double)x).ToArray(), b, c, h, w);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(output[i] - expected[i]) < 1e-5, $"entry {i}: {output[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void ImageGradientIsAdjointOfForward()
    {
        // The output is linear in the image, so <gradOut, F(delta)> = <gradImage, delta>.
        const int b = 3, c = 2, h = 11, w = 13;
        var rng = new Random(4);
        float[] image = RandomArray(rng, b * c * h * w);
        float[] delta = RandomArray(rng, image.Length);
        float[] gradOut = RandomArray(rng, image.Length);
        float[] theta = RandomArray(rng, 6 * b, 1.1);
        var gradImage = new float[image.Length];
        CpuGridSample.Backward(image, theta, gradOut, b, c, h, w, gradImage, Span<float>.Empty);
        var fd = new float[image.Length];
        CpuGridSample.Forward(delta, theta, b, c, h, w, fd);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < image.Length; i++)
        {
            lhs += (double)gradOut[i] * fd[i];
            rhs += (double)gradImage[i] * delta[i];
        }

        Assert.True(Math.Abs(lhs - rhs) < 1e-4 * Math.Max(1, Math.Abs(lhs)), $"{lhs} vs {rhs}");
    }

    [Theory]
    [InlineData(3, 2, 10, 12, 0.3)]
    [InlineData(2, 1, 28, 28, 0.5)]
    [InlineData(2, 1, 7, 7, 1.5)]
    public void ThetaGradientMatchesFiniteDifferences(int b, int c, int h, int w, double spread)
    {
        var rng = new Random(5 + h);

        // Smooth image values so the objective has moderate curvature between kinks.
        float[] image = RandomArray(rng, b * c * h * w);
        float[] gradOut = RandomArray(rng, image.Length);
        var theta = new float[6 * b];
        for (int i = 0; i < b; i++)
        {
            for (int k = 0; k < 6; k++)
            {
                double id = k == 0 || k == 4 ? 1 : 0;
                theta[6 * i + k] = (float)(id + (rng.NextDouble() * 2 - 1) * spread);
            }
        }

        var gradTheta = new float[6 * b];
        var gradImage = new float[image.Length];
        CpuGridSample.Backward(image, theta, gradOut, b, c, h, w, gradImage, gradTheta);

        // Central differences in double; a tiny step rarely crosses a pixel boundary.
        double[] td = theta.Select(x => (double)x).ToArray();
        const double step = 1e-7;
        for (int k = 0; k < td.Length; k++)
        {
            double[] tp = (double[])td.Clone();
            double[] tm = (double[])td.Clone();
            tp[k] += step;
            tm[k] -= step;
            double[] fp = ReferenceForward(image, tp, b, c, h, w);
            double[] fm = ReferenceForward(image, tm, b, c, h, w);
            double d = 0;
            for (int i = 0; i < fp.Length; i++)
            {
                d += gradOut[i] * (fp[i] - fm[i]);
            }

            d /= 2 * step;
            Assert.True(Math.Abs(gradTheta[k] - d) < 1e-3 * Math.Max(1, Math.Abs(d)), $"theta[{k}]: {gradTheta[k]} vs {d}");
        }

        // Skipping the image gradient must give the same theta gradient.
        var gradTheta2 = new float[6 * b];
        CpuGridSample.Backward(image, theta, gradOut, b, c, h, w, Span<float>.Empty, gradTheta2);
        Assert.Equal(gradTheta, gradTheta2);
    }

    [Fact]
    public void LargeBatchMatchesPerItemCalls()
    {
        const int b = 64, c = 1, h = 28, w = 28, size = c * h * w;
        var rng = new Random(6);
        float[] image = RandomArray(rng, b * size);
        float[] gradOut = RandomArray(rng, b * size);
        float[] theta = RandomArray(rng, 6 * b, 1.0);
        var output = new float[b * size];
        var gradImage = new float[b * size];
        var gradTheta = new float[6 * b];
        CpuGridSample.Forward(image, theta, b, c, h, w, output);
        CpuGridSample.Backward(image, theta, gradOut, b, c, h, w, gradImage, gradTheta);
        var one = new float[size];
        var oneGrad = new float[size];
        var oneTheta = new float[6];
        for (int i = 0; i < b; i += 9)
        {
            CpuGridSample.Forward(image.AsSpan(i * size, size), theta.AsSpan(6 * i, 6), 1, c, h, w, one);
            CpuGridSample.Backward(image.AsSpan(i * size, size), theta.AsSpan(6 * i, 6), gradOut.AsSpan(i * size, size), 1, c, h, w, oneGrad, oneTheta);
            Assert.Equal(one, output.AsSpan(i * size, size).ToArray());
            Assert.Equal(oneGrad, gradImage.AsSpan(i * size, size).ToArray());
            Assert.Equal(oneTheta, gradTheta.AsSpan(6 * i, 6).ToArray());
        }
    }
}

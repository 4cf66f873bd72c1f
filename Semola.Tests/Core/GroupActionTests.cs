using Semola.Autodiff;
using Semola.Core.Actions;
using Semola.Core.Lie;

namespace Semola.Tests.Core;

public class GroupActionTests
{
    private static Tensor Expm(double[,] l, float t, int batch)
    {
        int n = l.GetLength(0);
        var data = new float[batch * n * n];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    data[(b * n + i) * n + j] = (float)(t * l[i, j]);
                }
            }
        }
        return Tensor.FromArray(data, [batch, n, n]).MatrixExp();
    }

    private static void AssertClose(float[] expected, float[] actual, float tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tol, $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void QuarterTurnOfAnImageIsAnIndexPermutation()
    {
        int h = 4;
        var img = Enumerable.Range(0, h * h).Select(i => (float)i).ToArray();
        var x = Tensor.FromArray(img, [1, 1, h, h]);
        var g = Expm(LieAlgebraBases.ImageRotation(), MathF.PI / 2, 1);
        var y = new ImageAffineAction().Apply(g, x).ToArray();
        // Output pixel (i, j) samples the input at g p with p = (x, y) = (j, i) normalised:
        // a quarter turn maps (x, y) to (-y, x), i.e. input pixel (row j, column h-1-i).
        for (int i = 0; i < h; i++)
        {
            for (int j = 0; j < h; j++)
            {
                Assert.Equal(img[j * h + (h - 1 - i)], y[i * h + j], 3);
            }
        }
    }

    [Fact]
    public void ImageActionInverseAndComposition()
    {
        var rng = new Random(2);
        var x = Tensor.Uniform([2, 3, 6, 6], 0, 1, rng);
        var a = Expm(LieAlgebraBases.ImageRotation(), MathF.PI / 2, 2);
        var ainv = Expm(LieAlgebraBases.ImageRotation(), -MathF.PI / 2, 2);
        var act = new ImageAffineAction();
        AssertClose(x.ToArray(), act.Apply(ainv, act.Apply(a, x)).ToArray(), 1e-4f);
        var b = Expm(LieAlgebraBases.ImageRotation(), MathF.PI, 2);
        // Pull-back: a . (b . x) = (b a) . x.
        AssertClose(act.Apply(b.MatMul(a), x).ToArray(), act.Apply(a, act.Apply(b, x)).ToArray(), 1e-4f);
    }

    [Fact]
    public void VectorActionInverseAndComposition()
    {
        var rng = new Random(3);
        var x = Tensor.Normal([3, 5 * 8], 0, 1, rng);
        var l = LieAlgebraBases.TwoBodyRotation();
        var g1 = Expm(l, 0.7f, 3);
        var g2 = Expm(l, -1.9f, 3);
        var act = new VectorAction();
        AssertClose(x.ToArray(), act.Apply(Expm(l, -0.7f, 3), act.Apply(g1, x)).ToArray(), 1e-5f);
        AssertClose(act.Apply(g1.MatMul(g2), x).ToArray(), act.Apply(g1, act.Apply(g2, x)).ToArray(), 1e-5f);
        // A rotation of every (x, y) pair keeps each pair's length.
        var y = act.Apply(g1, x).ToArray();
        var xs = x.ToArray();
        for (int i = 0; i < xs.Length; i += 2)
        {
            Assert.Equal(xs[i] * xs[i] + xs[i + 1] * xs[i + 1], y[i] * y[i] + y[i + 1] * y[i + 1], 4);
        }
    }

    [Fact]
    public void PointSetActionMovesPositionsOnly()
    {
        var rng = new Random(4);
        var x = Tensor.Normal([2, 5, 4], 0, 1, rng);
        var basis = LieAlgebraBases.Se3();
        var l = new double[4, 4];
        for (int i = 0; i < basis.Length; i++)
        {
            for (int r = 0; r < 4; r++)
            {
                for (int c = 0; c < 4; c++)
                {
                    l[r, c] += (0.3 + 0.1 * i) * basis[i][r, c];
                }
            }
        }
        var g = Expm(l, 1f, 2);
        var ginv = Expm(l, -1f, 2);
        var act = new PointSetAction();
        var y = act.Apply(g, x);
        var xs = x.ToArray();
        var ys = y.ToArray();
        for (int p = 0; p < 10; p++)
        {
            Assert.Equal(xs[p * 4 + 3], ys[p * 4 + 3]); // the feature is untouched
        }
        AssertClose(xs, act.Apply(ginv, y).ToArray(), 1e-5f);
        // Rigid motions keep pairwise distances.
        float D(float[] v, int a, int b) => MathF.Sqrt(Enumerable.Range(0, 3).Sum(k => (v[a * 4 + k] - v[b * 4 + k]) * (v[a * 4 + k] - v[b * 4 + k])));
        Assert.Equal(D(xs, 0, 3), D(ys, 0, 3), 4);
    }

    [Fact]
    public void TrivialActionIsIdentityAndActionsRejectBadShapes()
    {
        var x = Tensor.Ones([2, 3]);
        Assert.Same(x, new TrivialAction().Apply(Tensor.Zeros([2, 3, 3]), x));
        Assert.Throws<ArgumentException>(() => new ImageAffineAction().Apply(Tensor.Zeros([2, 2, 2]), Tensor.Zeros([2, 1, 4, 4])));
        Assert.Throws<ArgumentException>(() => new VectorAction().Apply(Tensor.Zeros([2, 3, 3]), Tensor.Zeros([2, 8])));
        Assert.Throws<ArgumentException>(() => new PointSetAction().Apply(Tensor.Zeros([2, 4, 4]), Tensor.Zeros([2, 5, 2])));
    }
}

using Semola.Autodiff;
using Semola.Kernels;

namespace Semola.Tests.Autodiff;

public class TensorTests
{
    private static Tensor T(float[] data, params int[] shape) => Tensor.FromArray(data, shape);

    [Fact]
    public void CreationHelpers()
    {
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0 }, Tensor.Zeros([2, 3]).ToArray());
        Assert.Equal(new float[] { 1, 1 }, Tensor.Ones([2]).ToArray());
        Assert.Equal(new float[] { 2.5f, 2.5f, 2.5f }, Tensor.Full([3], 2.5f).ToArray());
        Assert.Equal(new float[] { 1, 3, 5 }, Tensor.Arange(1, 6, 2).ToArray());
        Assert.Equal(4.5f, Tensor.Scalar(4.5f).Item());
    }

    [Fact]
    public void SeededRandomIsReproducibleAndInRange()
    {
        var a = Tensor.Uniform([1000], -2f, 3f, new Random(5)).ToArray();
        var b = Tensor.Uniform([1000], -2f, 3f, new Random(5)).ToArray();
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.InRange(v, -2f, 3f));
        var n = Tensor.Normal([20000], 1f, 2f, new Random(6)).ToArray();
        double mean = n.Average(v => (double)v);
        double std = Math.Sqrt(n.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 0.95, 1.05);
        Assert.InRange(std, 1.95, 2.05);
    }

    [Fact]
    public void BroadcastArithmeticKnownValues()
    {
        var a = T([1, 2, 3, 4, 5, 6], 2, 3);
        var b = T([10, 20, 30], 3);
        Assert.Equal(new float[] { 11, 22, 33, 14, 25, 36 }, (a + b).ToArray());
        Assert.Equal(new float[] { 10, 40, 90, 40, 100, 180 }, (a * b).ToArray());
        var col = T([1, 2], 2, 1);
        Assert.Equal(new float[] { 0, 1, 2, 2, 3, 4 }, (a - col).ToArray());
        Assert.Equal(new float[] { 2, 4, 6, 8, 10, 12 }, (a * 2f).ToArray());
    }

    [Fact]
    public void UnaryKnownValues()
    {
        var x = T([-2, -0.5f, 0, 0.5f, 2], 5);
        Assert.Equal(new float[] { 0, 0, 0, 0.5f, 2 }, x.Relu().ToArray());
        Assert.Equal(new float[] { -0.2f, -0.05f, 0, 0.5f, 2 }, x.LeakyRelu(0.1f).ToArray());
        Assert.Equal(new float[] { 2, 0.5f, 0, 0.5f, 2 }, x.Abs().ToArray());
        Assert.Equal(new float[] { -1, -0.5f, 0, 0.5f, 1 }, x.Clamp(-1, 1).ToArray());
        var s = x.Sigmoid().ToArray();
        Assert.Equal(0.5f, s[2], 6);
        Assert.Equal(1 / (1 + Math.Exp(-2)), s[4], 5);
        var sp = T([-100, 0, 100], 3).Softplus().ToArray();
        Assert.Equal(0f, sp[0], 6);
        Assert.Equal(MathF.Log(2), sp[1], 5);
        Assert.Equal(100f, sp[2], 3);
        Assert.Equal(MathF.Tanh(0.5f), x.Tanh().ToArray()[3], 6);
    }

    [Fact]
    public void LongVectorsUseTheSimdAndParallelPathsCorrectly()
    {
        int n = 100_003;
        var data = Enumerable.Range(0, n).Select(i => (float)Math.Sin(i)).ToArray();
        var x = Tensor.FromArray(data);
        var y = x.Exp().Mul(x).ToArray();
        for (int i = 0; i < n; i += 997)
        {
            Assert.Equal(MathF.Exp(data[i]) * data[i], y[i], 5);
        }
        Assert.Equal(data.Sum(v => (double)v), x.Sum().Item(), 2);
    }

    [Fact]
    public void ReductionsKnownValues()
    {
        var a = T([1, 5, 3, 4, 2, 6], 2, 3);
        Assert.Equal(21f, a.Sum().Item());
        Assert.Equal(new float[] { 5, 7, 9 }, a.Sum(0).ToArray());
        Assert.Equal(new float[] { 9, 12 }, a.Sum(1).ToArray());
        Assert.Equal(new[] { 2, 1 }, a.Sum(1, keepDims: true).Shape);
        Assert.Equal(new float[] { 3, 4 }, a.Mean(1).ToArray());
        Assert.Equal(new float[] { 5, 6 }, a.Max(1).ToArray());
        Assert.Equal(new float[] { 1, 2 }, a.Min(1).ToArray());
        Assert.Equal(new float[] { 1, 2 }, a.ArgMax(1).ToArray());
        Assert.Equal(new float[] { 1, 0, 1 }, a.ArgMax(0).ToArray());
    }

    [Fact]
    public void MatMulKnownValues()
    {
        var a = T([1, 2, 3, 4, 5, 6], 2, 3);
        var b = T([7, 8, 9, 10, 11, 12], 3, 2);
        Assert.Equal(new float[] { 58, 64, 139, 154 }, a.MatMul(b).ToArray());
        Assert.Equal(new float[] { 58, 139, 64, 154 }, b.Transpose().MatMul(a.Transpose()).ToArray());
        var batched = Tensor.Stack([a, a.Mul(2f)]).MatMul(b);
        Assert.Equal(new float[] { 58, 64, 139, 154, 116, 128, 278, 308 }, batched.ToArray());
    }

    [Fact]
    public void ViewsShareMemoryAndAreO1()
    {
        var a = T([1, 2, 3, 4, 5, 6], 2, 3);
        var t = a.Transpose();
        Assert.Same(a.Buffer, t.Buffer);
        Assert.False(t.IsContiguous);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, t.ToArray());
        var n = a.Narrow(1, 1, 2);
        Assert.Same(a.Buffer, n.Buffer);
        Assert.Equal(new float[] { 2, 3, 5, 6 }, n.ToArray());
        var e = T([1, 2], 2, 1).Expand(2, 3);
        Assert.Equal(new[] { 0, 0 }.Length, e.Strides.Count(s => s == 0) + 1);
        Assert.Equal(new float[] { 1, 1, 1, 2, 2, 2 }, e.ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, a.Reshape(3, -1).ToArray());
        Assert.Equal(new[] { 3, 2 }, a.Reshape(3, -1).Shape);
    }

    [Fact]
    public void ConcatStackIndexSelect()
    {
        var a = T([1, 2, 3, 4], 2, 2);
        var b = T([5, 6], 2, 1);
        Assert.Equal(new float[] { 1, 2, 5, 3, 4, 6 }, Tensor.Concat([a, b], 1).ToArray());
        Assert.Equal(new[] { 2, 2, 2 }, Tensor.Stack([a, a]).Shape);
        Assert.Equal(new float[] { 3, 4, 1, 2, 3, 4 }, a.IndexSelect(0, [1, 0, 1]).ToArray());
    }

    [Fact]
    public void SoftmaxAndCrossEntropyKnownValues()
    {
        var x = T([1, 2, 3, 1, 1, 1], 2, 3);
        var p = x.Softmax(1).ToArray();
        double z = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(3) / z, p[2], 5);
        Assert.Equal(1.0 / 3, p[4], 5);
        var ce = Losses.CrossEntropy(x, [2, 0]).Item();
        Assert.Equal((-(3 - Math.Log(z)) + Math.Log(3)) / 2, ce, 5);
        var big = T([1000, 0, -1000], 1, 3).LogSoftmax(1).ToArray();
        Assert.Equal(0f, big[0], 3);
        Assert.Equal(-1000f, big[1], 2);
        Assert.Equal(0.0, Losses.KlDivergence(x, x).Item(), 6);
        Assert.Equal(2.5f, Losses.Mse(T([1, 2], 2), T([2, 4], 2)).Item());
    }

    [Fact]
    public void ConvolutionAndPoolingKnownValues()
    {
        // 1x1x3x3 input, 1x1x2x2 kernel of ones: each output is the sum of a 2x2 window.
        var x = T([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        var w = Tensor.Ones([1, 1, 2, 2]);
        Assert.Equal(new float[] { 12, 16, 24, 28 }, x.Conv2d(w).ToArray());
        // With padding 1 the output is 4x4: window sums over the zero-padded input, worked out by hand.
        var padded = x.Conv2d(w, 1, 1);
        Assert.Equal([1, 1, 4, 4], padded.Shape);
        Assert.Equal(new float[] { 1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9 }, padded.ToArray());
        Assert.Equal(new float[] { 5 }, x.MaxPool2d(2).ToArray());
        Assert.Equal(new float[] { 3 }, x.AvgPool2d(2).ToArray());
        Assert.Equal(new float[] { 5 }, x.GlobalAvgPool2d().ToArray());
    }

    [Fact]
    public void NothingIsRecordedWithoutGradientsOrUnderNoGrad()
    {
        var a = Tensor.Ones([2]);
        var b = a.Mul(3f);
        Assert.False(b.RequiresGrad);
        Assert.True(b.IsLeaf);
        a.RequiresGrad = true;
        var c = a.Mul(3f);
        Assert.True(c.RequiresGrad);
        Assert.False(c.IsLeaf);
        using (GradMode.NoGrad())
        {
            var d = a.Mul(3f);
            Assert.False(d.RequiresGrad);
            Assert.True(d.IsLeaf);
        }
        Assert.Throws<InvalidOperationException>(() => b.Sum().Backward());
    }

    [Fact]
    public void BackwardReturnsLeafGradientsAndAccumulatesSharedUse()
    {
        var x = T([1, 2, 3], 3);
        x.RequiresGrad = true;
        var y = x.Mul(x).Add(x).Sum(); // d/dx = 2x + 1
        var g = y.Backward();
        Assert.Equal(1, g.Count);
        Assert.Equal(new float[] { 3, 5, 7 }, g[x].ToArray());
        var unused = Tensor.Ones([1]);
        unused.RequiresGrad = true;
        Assert.Null(g.Get(unused));
        Assert.Throws<KeyNotFoundException>(() => g[unused]);
    }

    [Fact]
    public void BackwardOfNonScalarNeedsGradOutput()
    {
        var x = T([1, 2], 2);
        x.RequiresGrad = true;
        var y = x.Mul(2f);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        var g = y.Backward(T([1, 10], 2));
        Assert.Equal(new float[] { 2, 20 }, g[x].ToArray());
        Assert.Throws<ArgumentException>(() => y.Backward(T([1, 2, 3], 3)));
    }

    [Fact]
    public void SmallMlpFitsXor()
    {
        var rng = new Random(3);
        var w1 = Tensor.Normal([2, 8], 0, 1, rng);
        var b1 = Tensor.Zeros([8]);
        var w2 = Tensor.Normal([8, 1], 0, 0.5f, rng);
        var b2 = Tensor.Zeros([1]);
        var ps = new[] { w1, b1, w2, b2 };
        foreach (var p in ps)
        {
            p.RequiresGrad = true;
        }
        var x = T([0, 0, 0, 1, 1, 0, 1, 1], 4, 2);
        var y = T([0, 1, 1, 0], 4, 1);
        float loss = float.NaN;
        for (int step = 0; step < 1000; step++)
        {
            using var scope = new TensorScope();
            var l = Losses.Mse(x.MatMul(w1).Add(b1).Tanh().MatMul(w2).Add(b2), y);
            var g = l.Backward();
            loss = l.Item();
            using (GradMode.NoGrad())
            {
                foreach (var p in ps)
                {
                    var updated = p.Sub(g[p].Mul(0.2f)).ToArray();
                    p.Device.Backend.Upload(updated, p.Buffer, 0);
                }
            }
        }
        Assert.True(loss < 1e-3, $"XOR loss {loss}");
    }
}

using Semola.Autodiff;
using Semola.Core.Lie;
using Semola.Tests.Autodiff;

namespace Semola.Tests.Core;

public class LieAugmenterTests
{
    [Fact]
    public void AffineSamplesKeepTheHomogeneousLastRow()
    {
        var aug = new LieAugmenter(SearchSpace.Affine2D(), 2, seed: 1, initialExtent: 2f);
        var g = aug.Sample(50).G.ToArray();
        for (int b = 0; b < 50; b++)
        {
            Assert.Equal(0f, g[b * 9 + 6], 6);
            Assert.Equal(0f, g[b * 9 + 7], 6);
            Assert.Equal(1f, g[b * 9 + 8], 6);
        }
    }

    [Fact]
    public void SharedBlockSamplesRepeatOneBlock()
    {
        var aug = new LieAugmenter(SearchSpace.SharedBlocks2x2(4), 1, seed: 2);
        var g = aug.Sample(5).G.ToArray();
        for (int b = 0; b < 5; b++)
        {
            for (int blk = 1; blk < 4; blk++)
            {
                for (int i = 0; i < 2; i++)
                {
                    for (int j = 0; j < 2; j++)
                    {
                        Assert.Equal(g[b * 64 + i * 8 + j], g[b * 64 + (2 * blk + i) * 8 + 2 * blk + j], 5);
                    }
                }
            }
            Assert.Equal(0f, g[b * 64 + 0 * 8 + 2]); // off the block diagonal
        }
    }

    [Fact]
    public void InverseSampleInvertsAndDirectionsHaveUnitNorm()
    {
        var aug = new LieAugmenter(SearchSpace.Full(4), 3, seed: 3, initialExtent: 1.5f);
        var s = aug.Sample(8);
        var prod = s.G.MatMul(s.Inverse).ToArray();
        for (int b = 0; b < 8; b++)
        {
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    Assert.Equal(i == j ? 1f : 0f, prod[b * 16 + i * 4 + j], 4);
                }
            }
        }
        foreach (var d in aug.DirectionMatrices())
        {
            Assert.Equal(1.0, LieAlgebraMetrics.FrobeniusNorm(d), 5);
        }
        Assert.All(aug.ExtentValues(), a => Assert.Equal(1.5f, a, 4));
    }

    [Fact]
    public void SamplingIsSeeded()
    {
        var a = new LieAugmenter(SearchSpace.Affine2D(), 1, seed: 9).Sample(4).G.ToArray();
        var b = new LieAugmenter(SearchSpace.Affine2D(), 1, seed: 9).Sample(4).G.ToArray();
        var c = new LieAugmenter(SearchSpace.Affine2D(), 1, seed: 10).Sample(4).G.ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void ExtentsAndDirectionsReceiveGradients()
    {
        var aug = new LieAugmenter(SearchSpace.Affine2D(), 2, seed: 4);
        var s = aug.Sample(6);
        var target = Tensor.Normal([6, 3, 3], 0, 1, new Random(1));
        var grads = s.G.Mul(target).Sum().Backward();
        Assert.Contains(grads[aug.Weight].ToArray(), v => MathF.Abs(v) > 1e-6f);
        Assert.True(grads[aug.Extent].ToArray().All(v => MathF.Abs(v) > 1e-6f));
    }

    [Fact]
    public void SamplePathGradientCheck()
    {
        // g = exp(sum_i a_i u_i Lhat_i) as a function of the raw weight and extent parameters.
        var space = SearchSpace.Affine2D();
        var u = Tensor.FromArray([0.3f, -0.8f, 0.9f, 0.1f, -0.5f, 0.6f], [3, 2]);
        var elements = Tensor.FromArray(space.FlatElements(), [6, 9]);
        GradCheck.Check(t =>
        {
            var l = t[0].MatMul(elements);
            var dir = l.Div(l.Square().Sum(1, keepDims: true).Sqrt());
            var e = u.Mul(t[1].Softplus());
            return e.MatMul(dir).Reshape(-1, 3, 3).MatrixExp();
        }, [GradCheck.Rand(1, [2, 6]), GradCheck.Rand(2, [2])], eps: 1e-3, rtol: 3e-2);
    }

    [Fact]
    public void RegularizersKnownValues()
    {
        var aug = new LieAugmenter(SearchSpace.Full(2), 2, seed: 5);
        // Overwrite the basis with known directions: L1 = [[1, 0], [0, 0]], L2 = [[1, 1], [0, 0]] / sqrt 2.
        aug.Weight.Device.Backend.Upload([1, 0, 0, 0, 1, 1, 0, 0], aug.Weight.Buffer, 0);
        Assert.Equal(0.5f, aug.OrthogonalityPenalty().Item(), 5); // <L1, L2>^2 = (1/sqrt2)^2
        Assert.Equal(1f + MathF.Sqrt(2f), aug.SparsityPenalty().Item(), 5);
        aug.Extent.Device.Backend.Upload([LieAugmenter.InverseSoftplus(0.5f), LieAugmenter.InverseSoftplus(5f)], aug.Extent.Buffer, 0);
        Assert.Equal(0.5f + 4f, aug.ExtentReward(4f).Item(), 4);
    }

    [Fact]
    public void BadArgumentsAreClear()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LieAugmenter(SearchSpace.Affine2D(), 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LieAugmenter(SearchSpace.Affine2D(), 1, 1, initialExtent: 0f));
        var aug = new LieAugmenter(SearchSpace.Affine2D(), 2, 1);
        var ex = Assert.Throws<ArgumentException>(() => aug.SampleFrom(Tensor.Zeros([3, 5])));
        Assert.Contains("[3, 5]", ex.Message);
        Assert.Throws<ArgumentException>(() => SearchSpace.Parse("hexagonal", 3));
    }
}

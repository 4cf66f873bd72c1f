using Semola.Autodiff;
using Semola.Autodiff.Nn;
using static Semola.Tests.Autodiff.GradCheck;

namespace Semola.Tests.Autodiff.Nn;

public class P4LayerTests
{
    // Rotates p4 maps [N, C * 4, H, H] as a quarter turn of the input acts on them: every map rotated,
    // rotation index r moved to r + 1.
    private static Tensor ActOnP4(Tensor maps)
    {
        int n = maps.Shape[0], c = maps.Shape[1] / 4, h = maps.Shape[2];
        var rotated = P4.Rotate(maps, 1);
        var order = Enumerable.Range(0, c * 4).Select(i => ((i / 4) * 4) + ((i % 4) + 3) % 4).ToArray();
        return rotated.Reshape(n, c * 4, h * h).IndexSelect(1, order).Reshape(n, c * 4, h, h);
    }

    private static void AssertClose(float[] expected, float[] actual, float tol = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = Math.Max(1f, expected.Max(MathF.Abs));
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tol * scale, $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void RotationSourceIsAQuarterTurnCounterClockwise()
    {
        // 2x2 [a b; c d] turned counter-clockwise is [b d; a c].
        Assert.Equal([1, 3, 0, 2], P4.RotationSource(2, 1));
        Assert.Equal([3, 2, 1, 0], P4.RotationSource(2, 2));
        Assert.Equal(P4.RotationSource(3, 3), P4.RotationSource(3, -1));
        Assert.Equal(Enumerable.Range(0, 9), P4.RotationSource(3, 4));
        var x = Tensor.FromArray([1f, 2, 3, 4], [1, 1, 2, 2]);
        Assert.Equal([2f, 4, 1, 3], P4.Rotate(x, 1).ToArray());
    }

    [Fact]
    public void LiftingExpansionHoldsTheFourRotations()
    {
        var w = Tensor.FromArray(Enumerable.Range(0, 2 * 9).Select(i => (float)i).ToArray(), [1, 2, 3, 3]);
        var bank = P4LiftingConv2d.ExpandWeight(w).ToArray();
        Assert.Equal(4 * 2 * 9, bank.Length);
        for (int r = 0; r < 4; r++)
        {
            var expected = P4.Rotate(w, r).ToArray();
            Assert.Equal(expected, bank.AsSpan(r * 18, 18).ToArray());
        }
    }

    [Fact]
    public void LiftingConvIsEquivariant()
    {
        var lift = new P4LiftingConv2d(2, 3, 3, new Random(1), padding: 1);
        var x = Tensor.FromArray(Rand(2, [2, 2, 6, 6]).Data, [2, 2, 6, 6]);
        using (GradMode.NoGrad())
        {
            AssertClose(ActOnP4(lift.Forward(x)).ToArray(), lift.Forward(P4.Rotate(x, 1)).ToArray());
        }
    }

    [Fact]
    public void GroupConvIsEquivariant()
    {
        var conv = new P4GroupConv2d(2, 3, 3, new Random(2), padding: 1);
        var x = Tensor.FromArray(Rand(3, [2, 8, 5, 5]).Data, [2, 8, 5, 5]);
        using (GradMode.NoGrad())
        {
            AssertClose(ActOnP4(conv.Forward(x)).ToArray(), conv.Forward(ActOnP4(x)).ToArray());

            // The cyclic shift matters: rotating the maps without shifting the rotation index breaks it.
            var unshifted = conv.Forward(P4.Rotate(x, 1)).ToArray();
            var expected = ActOnP4(conv.Forward(x)).ToArray();
            Assert.True(expected.Zip(unshifted).Max(p => MathF.Abs(p.First - p.Second)) > 1e-2f);
        }
    }

    [Fact]
    public void BatchNormAndGroupPoolCommuteWithTheAction()
    {
        var bn = new P4BatchNorm(2);
        var x = Tensor.FromArray(Rand(4, [3, 8, 4, 4], 0f, 2f).Data, [3, 8, 4, 4]);
        using (GradMode.NoGrad())
        {
            AssertClose(ActOnP4(bn.Forward(x)).ToArray(), bn.Forward(ActOnP4(x)).ToArray()); // training mode, batch statistics
            bn.Eval();
            AssertClose(ActOnP4(bn.Forward(x)).ToArray(), bn.Forward(ActOnP4(x)).ToArray()); // running statistics
            foreach (bool max in new[] { true, false })
            {
                var pool = new P4GroupPool(max);
                AssertClose(P4.Rotate(pool.Forward(x), 1).ToArray(), pool.Forward(ActOnP4(x)).ToArray());
            }
        }
    }

    [Fact]
    public void LiftingConvGradientsMatchCentralDifferences() =>
        Check(t => t[0].Conv2d(P4LiftingConv2d.ExpandWeight(t[1]), 1, 1), [Rand(1, [2, 2, 5, 5]), Rand(2, [3, 2, 3, 3])]);

    [Fact]
    public void GroupConvGradientsMatchCentralDifferences() =>
        Check(t => t[0].Conv2d(P4GroupConv2d.ExpandWeight(t[1]), 1, 1), [Rand(3, [1, 8, 4, 4]), Rand(4, [2, 8, 3, 3])]);

    [Fact]
    public void RotateGradientMatchesCentralDifferences() =>
        Check(t => P4.Rotate(t, 3), Rand(5, [1, 2, 3, 3]));

    [Fact]
    public void BatchNormGradientsMatchCentralDifferences()
    {
        var bn = new P4BatchNorm(2);
        Check(t => bn.Forward(t), Rand(6, [2, 8, 2, 3]), eps: 1e-2, atol: 3e-3, rtol: 3e-2);
    }

    [Fact]
    public void GroupPoolGradientsMatchCentralDifferences()
    {
        Check(t => new P4GroupPool(max: true).Forward(t), Distinct(7, [2, 8, 2, 2], gap: 0.05f), eps: 1e-2);
        Check(t => new P4GroupPool(max: false).Forward(t), Rand(8, [2, 8, 2, 2]));
    }

    [Fact]
    public void RejectsWrongShapes()
    {
        var rng = new Random(0);
        Assert.Throws<ArgumentException>(() => new P4GroupConv2d(2, 3, 3, rng).Forward(Tensor.Zeros([1, 6, 5, 5])));
        Assert.Throws<ArgumentException>(() => new P4LiftingConv2d(2, 3, 3, rng).Forward(Tensor.Zeros([1, 3, 5, 5])));
        Assert.Throws<ArgumentException>(() => new P4BatchNorm(2).Forward(Tensor.Zeros([1, 6, 5, 5])));
        Assert.Throws<ArgumentException>(() => new P4GroupPool().Forward(Tensor.Zeros([1, 6, 5, 5])));
        Assert.Throws<ArgumentException>(() => P4.Rotate(Tensor.Zeros([1, 1, 4, 5]), 1));
    }
}

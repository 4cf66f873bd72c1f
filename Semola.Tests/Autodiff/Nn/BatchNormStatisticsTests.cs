using Semola.Autodiff;
using Semola.Autodiff.Nn;

namespace Semola.Tests.Autodiff.Nn;

public class BatchNormStatisticsTests
{
    // Two channels; every sample of batch b has channel values (b + 1) * (1, -2) plus per-sample noise.
    private static Tensor Batch(int b, int n, Random rng)
    {
        var data = new float[n * 2 * 3];
        for (int i = 0; i < n; i++)
        {
            for (int ch = 0; ch < 2; ch++)
            {
                for (int k = 0; k < 3; k++)
                {
                    data[((i * 2) + ch) * 3 + k] = ((b + 1) * (ch == 0 ? 1f : -2f)) + (float)(rng.NextDouble() - 0.5);
                }
            }
        }
        return Tensor.FromArray(data, [n, 2, 3]);
    }

    private static (double[] Mean, double[] Var) Stats(Tensor x)
    {
        var v = x.ToArray();
        int n = x.Shape[0], len = x.Shape[2];
        var mean = new double[2];
        var variance = new double[2];
        for (int ch = 0; ch < 2; ch++)
        {
            var values = Enumerable.Range(0, n).SelectMany(i => Enumerable.Range(0, len).Select(k => (double)v[((i * 2) + ch) * len + k])).ToArray();
            mean[ch] = values.Average();
            variance[ch] = values.Sum(a => (a - mean[ch]) * (a - mean[ch])) / (values.Length - 1);
        }
        return (mean, variance);
    }

    [Fact]
    public void RunningStatisticsBecomeTheAverageOverTheBatches()
    {
        var rng = new Random(3);
        var bn = new BatchNorm1d(2, momentum: 0.1f);
        var model = new Sequential(bn);

        // Training leaves exponential averages that lag the latest batches.
        for (int b = 0; b < 5; b++)
        {
            model.Forward(Batch(10, 8, rng));
        }
        model.Eval();

        var batches = new[] { Batch(0, 8, rng), Batch(1, 8, rng), Batch(2, 8, rng) };
        int used = BatchNormStatistics.Recompute(model, batches);

        Assert.Equal(3, used);
        var stats = batches.Select(Stats).ToArray();
        var mean = bn.RunningMean.ToArray();
        var variance = bn.RunningVar.ToArray();
        for (int ch = 0; ch < 2; ch++)
        {
            Assert.Equal(stats.Average(s => s.Mean[ch]), mean[ch], 4);
            Assert.Equal(stats.Average(s => s.Var[ch]), variance[ch], 3);
        }
        Assert.Equal(0.1f, bn.Momentum);
        Assert.False(model.IsTraining);
        Assert.False(bn.IsTraining);
    }

    [Fact]
    public void NoBatchesLeaveTheStatisticsAlone()
    {
        var bn = new BatchNorm1d(2);
        var model = new Sequential(bn);
        model.Forward(Batch(4, 8, new Random(1)));
        var before = bn.RunningMean.ToArray();

        Assert.Equal(0, BatchNormStatistics.Recompute(model, []));
        Assert.Equal(before, bn.RunningMean.ToArray());
        Assert.True(model.IsTraining);
    }

    [Fact]
    public void FindsLayersInsideOtherModules()
    {
        var net = new Sequential(new Conv2d(1, 2, 3, new Random(1)), new BatchNormReLU2d(2), new P4BatchNorm(1));
        Assert.Equal(2, BatchNormStatistics.Layers(net).Count);
    }

    [Fact]
    public void MomentumOutsideItsRangeIsRefused()
    {
        var bn = new BatchNorm2d(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => bn.Momentum = 0f);
        Assert.Throws<ArgumentOutOfRangeException>(() => bn.Momentum = 1.5f);
    }
}

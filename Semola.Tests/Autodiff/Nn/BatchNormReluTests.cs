using Semola.Autodiff;
using Semola.Autodiff.Checkpoints;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Models;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Autodiff.Nn;

public class BatchNormReluTests
{
    // [n, c, h, w] values whose per-channel mean is exactly 0 and whose magnitudes are at least
    // 0.5, so that with beta = 0 every normalised value (and so every ReLU input) stays well away
    // from the kink at 0 under the finite-difference steps.
    private static GradCheck.Input SymmetricPerChannel(int seed, int n, int c, int h, int w)
    {
        var rng = new Random(seed);
        int per = n * h * w;
        var data = new float[n * c * h * w];
        for (int ch = 0; ch < c; ch++)
        {
            var values = new List<float>();
            for (int i = 0; i < per / 2; i++)
            {
                float v = 0.5f + 1.5f * (float)rng.NextDouble();
                values.Add(v);
                values.Add(-v);
            }
            var shuffled = values.OrderBy(_ => rng.Next()).ToArray();
            int k = 0;
            for (int b = 0; b < n; b++)
            {
                for (int q = 0; q < h * w; q++)
                {
                    data[((b * c) + ch) * h * w + q] = shuffled[k++];
                }
            }
        }
        return new GradCheck.Input(data, [n, c, h, w]);
    }

    [Fact]
    public void TrainingGradientsMatchCentralDifferences()
    {
        var x = SymmetricPerChannel(1, 4, 3, 2, 2);
        var gamma = GradCheck.Rand(2, [3], 0.5f, 1.5f);
        var beta = new GradCheck.Input([0f, 0f, 0f], [3]);
        GradCheck.Check(t => t[0].BatchNormRelu(t[1], t[2], null, null, training: true), [x, gamma, beta], eps: 1e-3);
        GradCheck.Check(t => t[0].BatchNormRelu(null, null, null, null, training: true), [SymmetricPerChannel(3, 2, 2, 3, 2)], eps: 1e-3);
    }

    [Fact]
    public void EvalGradientsMatchCentralDifferences()
    {
        var mean = Tensor.FromArray([0.1f, -0.2f, 0.3f]);
        var variance = Tensor.FromArray([0.5f, 1.5f, 2f]);
        GradCheck.Check(t => t[0].BatchNormRelu(t[1], t[2], mean, variance, training: false),
            [GradCheck.Rand(4, [2, 3, 2, 2], -2f, 2f), GradCheck.Rand(5, [3], 0.5f, 1.5f), GradCheck.Rand(6, [3], -0.2f, 0.2f)], eps: 1e-3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FusedOpEqualsBatchNormThenReluBitForBit(bool training)
    {
        var data = TestTensors.Random(6 * 5 * 7 * 9, 11);
        var upstream = Tensor.FromArray(TestTensors.Random(data.Length, 12), [6, 5, 7, 9]);
        var results = new List<float[]>[2];
        for (int fused = 0; fused < 2; fused++)
        {
            var x = Tensor.FromArray(data, [6, 5, 7, 9]);
            var gamma = Tensor.FromArray([0.5f, 1f, 1.5f, -0.7f, 2f]);
            var beta = Tensor.FromArray([0.1f, -0.3f, 0f, 0.2f, -1f]);
            var runningMean = Tensor.FromArray([0f, 0.1f, -0.1f, 0.2f, 0f]);
            var runningVar = Tensor.FromArray([1f, 0.5f, 2f, 1f, 0.25f]);
            x.RequiresGrad = true;
            gamma.RequiresGrad = true;
            beta.RequiresGrad = true;
            var y = fused == 1
                ? x.BatchNormRelu(gamma, beta, runningMean, runningVar, training)
                : x.BatchNorm(gamma, beta, runningMean, runningVar, training).Relu();
            var grads = y.Backward(upstream);
            results[fused] =
            [
                y.ToArray(), grads[x].ToArray(), grads[gamma].ToArray(), grads[beta].ToArray(),
                runningMean.ToArray(), runningVar.ToArray(),
            ];
        }

        string[] what = ["output", "dx", "dgamma", "dbeta", "running mean", "running var"];
        for (int i = 0; i < what.Length; i++)
        {
            Assert.True(results[0][i].SequenceEqual(results[1][i]), $"{what[i]} differs (training={training})");
        }
        Assert.Contains(0f, results[1][0]);
    }

    [Fact]
    public void LayerKeepsBatchNormNamesAndRejectsWrongInput()
    {
        var layer = new BatchNormReLU2d(3);
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Key));
        Assert.Equal(["running_mean", "running_var"], layer.NamedBuffers().Select(p => p.Key));
        var y = layer.Forward(Tensor.FromArray(TestTensors.Random(2 * 3 * 4, 1), [2, 3, 2, 2])).ToArray();
        Assert.All(y, v => Assert.True(v >= 0f));
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros([2, 4, 2, 2])));
        Assert.Throws<ArgumentException>(() => layer.Forward(Tensor.Zeros([2, 3])));
    }

    // The base CNN as it was built before batch norm and ReLU were fused: separate layers.
    private static Sequential UnfusedBaseCnn(Random rng)
    {
        var net = new Sequential();
        int c = 1;
        for (int i = 0; i < BaseCnn.Widths.Count; i++)
        {
            int layer = i + 1;
            net.Add($"conv{layer}", new Conv2d(c, BaseCnn.Widths[i], 3, rng, stride: 1, padding: 1, bias: false));
            net.Add($"bn{layer}", new BatchNorm2d(BaseCnn.Widths[i]));
            net.Add($"relu{layer}", new ReLU());
            if (layer is 2 or 4)
            {
                net.Add($"pool{layer / 2}", new MaxPool2d(2));
            }
            c = BaseCnn.Widths[i];
        }
        net.Add("gap", new GlobalAvgPool2d());
        net.Add("fc", new Linear(c, 10, rng));
        return net;
    }

    [Fact]
    public void BaseCnnLoadsCheckpointsOfTheUnfusedLayoutAndComputesTheSame()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "unfused.smla");
        var images = Tensor.FromArray(TestTensors.Random(4 * 28 * 28, 5), [4, 1, 28, 28]);
        var old = UnfusedBaseCnn(new Random(3));
        var optOld = new Adam(old.Parameters(), 1e-3f);
        using (new TensorScope())
        {
            optOld.Step(Losses.CrossEntropy(old.Forward(images), [0, 1, 2, 3]).Backward());
        }
        Checkpoint.Save(path, old, optOld);

        var fused = BaseCnn.Build(new Random(4));
        var optFused = new Adam(fused.Parameters(), 1e-3f);
        Checkpoint.Load(path, fused, optFused);
        Assert.Equal(old.NamedParameters().Select(p => p.Key), fused.NamedParameters().Select(p => p.Key));
        Assert.Equal(old.NamedBuffers().Select(p => p.Key), fused.NamedBuffers().Select(p => p.Key));

        Assert.Equal(old.Forward(images).ToArray(), fused.Forward(images).ToArray());
        old.Eval();
        fused.Eval();
        KernelClose(old.Forward(images).ToArray(), fused.Forward(images).ToArray());
    }

    private static void KernelClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }
}

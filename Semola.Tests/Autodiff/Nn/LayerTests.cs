using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Models;
using static Semola.Tests.Autodiff.TestTensors;

namespace Semola.Tests.Autodiff.Nn;

public class LayerTests
{
    [Fact]
    public void Linear_ComputesXWtPlusB()
    {
        var lin = new Linear(2, 3, new Random(0));
        Set(lin.Weight, 1, 2, 3, 4, 5, 6);
        Set(lin.Bias!, 0.5f, -1, 2);
        var y = lin.Forward(Tensor.FromArray([1f, -1, 2, 0.5f], [2, 2]));
        Assert.Equal([2, 3], y.Shape);
        Assert.Equal([-0.5f, -2, 1, 3.5f, 7, 15], y.ToArray());
        Assert.Equal([3], lin.Forward(Tensor.FromArray([1f, -1])).Shape);
        Assert.Throws<ArgumentException>(() => lin.Forward(Tensor.Zeros([2, 3])));
    }

    [Fact]
    public void Linear_GradientsMatchCentralDifferences()
    {
        GradCheck(t => t[0].MatMul(t[1].Transpose()).Add(t[2]),
            [(Random(6, 1), [3, 2]), (Random(8, 2), [4, 2]), (Random(4, 3), [4])]);
    }

    [Fact]
    public void Conv2d_WithBias_AddsPerChannelBias()
    {
        var conv = new Conv2d(1, 2, 2, new Random(0), stride: 1, padding: 0);
        Set(conv.Weight, 1, 0, 0, 1, /* second filter */ 0, 1, 1, 0);
        Set(conv.Bias!, 10, -10);
        var x = Tensor.FromArray([1f, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]);
        var y = conv.Forward(x);
        Assert.Equal([1, 2, 2, 2], y.Shape);
        // filter 1: x[i][j] + x[i+1][j+1]; filter 2: x[i][j+1] + x[i+1][j]
        Assert.Equal([16f, 18, 22, 24, -4, -2, 2, 4], y.ToArray());
        Assert.Equal(["weight", "bias"], conv.NamedParameters().Select(p => p.Key));
        Assert.Null(new Conv2d(1, 2, 3, new Random(0), bias: false).Bias);
    }

    private static BatchNorm2d MakeBn()
    {
        var bn = new BatchNorm2d(2);
        Set(bn.Weight!, 2f, 0.5f);
        Set(bn.Bias!, 1f, -1f);
        return bn;
    }

    // x [N=2, C=2, H=1, W=2]: channel 0 holds 1, 2, 3, 4; channel 1 holds 0, 0, 10, 10.
    private static Tensor BnInput() => Tensor.FromArray([1f, 2, 0, 0, 3, 4, 10, 10], [2, 2, 1, 2]);

    [Fact]
    public void BatchNorm2d_Training_NormalisesWithBatchStatsAndUpdatesRunningStats()
    {
        var bn = MakeBn();
        var y = bn.Forward(BnInput()).ToArray();
        double s0 = Math.Sqrt(1.25 + 1e-5), s1 = Math.Sqrt(25 + 1e-5);
        double[] expected =
        [
            2 * (1 - 2.5) / s0 + 1, 2 * (2 - 2.5) / s0 + 1, 0.5 * (0 - 5) / s1 - 1, 0.5 * (0 - 5) / s1 - 1,
            2 * (3 - 2.5) / s0 + 1, 2 * (4 - 2.5) / s0 + 1, 0.5 * (10 - 5) / s1 - 1, 0.5 * (10 - 5) / s1 - 1,
        ];
        Close(expected, y, 1e-5);
        // running = 0.9 * initial + 0.1 * batch (unbiased variance: 5/3 and 100/3)
        Close([0.25, 0.5], bn.RunningMean.ToArray(), 1e-6);
        Close([0.9 + 0.1 * 5.0 / 3, 0.9 + 0.1 * 100.0 / 3], bn.RunningVar.ToArray(), 1e-6);
        Assert.Equal(["weight", "bias"], bn.NamedParameters().Select(p => p.Key));
        Assert.Equal(["running_mean", "running_var"], bn.NamedBuffers().Select(p => p.Key));
    }

    [Fact]
    public void BatchNorm2d_Eval_UsesRunningStatsAndLeavesThemAlone()
    {
        var bn = MakeBn();
        Set(bn.RunningMean, 1f, -2f);
        Set(bn.RunningVar, 4f, 0.25f);
        bn.Eval();
        Assert.False(bn.IsTraining);
        var y = bn.Forward(BnInput()).ToArray();
        double r0 = Math.Sqrt(4 + 1e-5), r1 = Math.Sqrt(0.25 + 1e-5);
        double[] x = [1, 2, 0, 0, 3, 4, 10, 10];
        var expected = x.Select((v, i) => (i / 2) % 2 == 0 ? 2 * (v - 1) / r0 + 1 : 0.5 * (v + 2) / r1 - 1).ToArray();
        Close(expected, y, 1e-5);
        Assert.Equal([1f, -2f], bn.RunningMean.ToArray());
        Assert.Equal([4f, 0.25f], bn.RunningVar.ToArray());
    }

    [Fact]
    public void BatchNorm_TrainingGradientsMatchCentralDifferences()
    {
        GradCheck(t => t[0].BatchNorm(t[1], t[2], null, null, training: true),
            [(Random(48, 4), [4, 3, 2, 2]), (Random(3, 5, 0.5f, 1.5f), [3]), (Random(3, 6), [3])]);
        GradCheck(t => t[0].BatchNorm(null, null, null, null, training: true), [(Random(15, 7), [5, 3])]);
    }

    [Fact]
    public void BatchNorm_EvalGradientsMatchCentralDifferences()
    {
        var mean = Tensor.FromArray([0.1f, -0.2f, 0.3f]);
        var variance = Tensor.FromArray([0.5f, 1.5f, 2f]);
        GradCheck(t => t[0].BatchNorm(t[1], t[2], mean, variance, training: false),
            [(Random(24, 8), [2, 3, 2, 2]), (Random(3, 9), [3]), (Random(3, 10), [3])]);
    }

    [Fact]
    public void BatchNorm1d_NormalisesFeatures()
    {
        var bn = new BatchNorm1d(2);
        var y = bn.Forward(Tensor.FromArray([1f, 10, 3, 30], [2, 2])).ToArray();
        double s = Math.Sqrt(1 + 1e-5), t = Math.Sqrt(100 + 1e-5);
        Close([-1 / s, -10 / t, 1 / s, 10 / t], y, 1e-5);
        Close([0.2, 2.0], bn.RunningMean.ToArray(), 1e-6);
        Close([0.9 + 0.1 * 2, 0.9 + 0.1 * 200], bn.RunningVar.ToArray(), 1e-5);
        Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Zeros([2, 2, 2, 2])));
    }

    [Fact]
    public void Dropout_IsSeededScaledAndIdentityInEval()
    {
        var x = Tensor.Ones([1000]);
        var a = new Dropout(0.25f, seed: 7).Forward(x).ToArray();
        var b = new Dropout(0.25f, seed: 7).Forward(x).ToArray();
        Assert.Equal(a, b);
        Assert.All(a, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6));
        int zeros = a.Count(v => v == 0f);
        Assert.InRange(zeros, 200, 300);
        var d = new Dropout(0.25f, seed: 7);
        d.Eval();
        Assert.Same(x, d.Forward(x));
        GradCheck(t => t[0].Dropout(0.5f, new Random(3)), [(Random(10, 11), [10])]);
    }

    [Fact]
    public void Activations_Flatten_Pooling()
    {
        var x = Tensor.FromArray([-2f, -0.5f, 0, 3], [1, 1, 2, 2]);
        Assert.Equal([0f, 0, 0, 3], new ReLU().Forward(x).ToArray());
        Assert.Equal([-0.2f, -0.05f, 0, 3], new LeakyReLU(0.1f).Forward(x).ToArray());
        Assert.Equal([1, 4], new Flatten().Forward(x).Shape);
        Assert.Equal([3f], new MaxPool2d(2).Forward(x).ToArray());
        Assert.Equal([0.125f], new GlobalAvgPool2d().Forward(x).ToArray());
        Assert.Equal([1, 1], new GlobalAvgPool2d().Forward(x).Shape);
        Close([Math.Tanh(-2), Math.Tanh(-0.5), 0, Math.Tanh(3)], new Tanh().Forward(x).ToArray(), 1e-6);
        Close([1 / (1 + Math.Exp(2)), 1 / (1 + Math.Exp(0.5)), 0.5, 1 / (1 + Math.Exp(-3))], new Sigmoid().Forward(x).ToArray(), 1e-6);
    }

    [Fact]
    public void Sequential_NamesNestedParametersAndPropagatesMode()
    {
        var net = new Sequential(new Linear(3, 4, new Random(0)), new ReLU(), new Sequential(new Linear(4, 2, new Random(1)), new BatchNorm1d(2)));
        Assert.Equal(["0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias"], net.NamedParameters().Select(p => p.Key));
        Assert.Equal(["2.1.running_mean", "2.1.running_var"], net.NamedBuffers().Select(p => p.Key));
        Assert.Equal(12 + 4 + 8 + 2 + 2 + 2, net.ParameterCount);
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad && p.IsLeaf));
        net.Eval();
        Assert.False(((Sequential)net[2])[1].IsTraining);
        net.Train();
        Assert.True(((Sequential)net[2])[1].IsTraining);
        Assert.Equal([5, 2], net.Forward(Tensor.Ones([5, 3])).Shape);
    }

    [Fact]
    public void Mlp_BuildsLinearsWithActivationsBetween()
    {
        var mlp = new Mlp([2, 8, 8, 1], new Random(0), () => new Tanh());
        Assert.Equal(5, mlp.Count);
        Assert.IsType<Linear>(mlp[0]);
        Assert.IsType<Tanh>(mlp[1]);
        Assert.IsType<Linear>(mlp[4]);
        Assert.Equal([4, 1], mlp.Forward(Tensor.Ones([4, 2])).Shape);
        Assert.Throws<ArgumentException>(() => new Mlp([3], new Random(0)));
    }

    [Fact]
    public void Init_IsSeededAndWithinBounds()
    {
        var a = Init.KaimingUniform([64, 50], new Random(5)).ToArray();
        var b = Init.KaimingUniform([64, 50], new Random(5)).ToArray();
        Assert.Equal(a, b);
        float bound = MathF.Sqrt(6f / 50);
        Assert.All(a, v => Assert.InRange(v, -bound, bound));
        double std = Math.Sqrt(a.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.9 * bound / Math.Sqrt(3), 1.1 * bound / Math.Sqrt(3));
        var n = Init.KaimingNormal([128, 32, 3, 3], new Random(1)).ToArray();
        double nstd = Math.Sqrt(n.Select(v => (double)v * v).Average());
        Assert.InRange(nstd, 0.95 * Math.Sqrt(2.0 / 288), 1.05 * Math.Sqrt(2.0 / 288));
        var xu = Init.XavierUniform([30, 20], new Random(2)).ToArray();
        Assert.All(xu, v => Assert.InRange(v, -MathF.Sqrt(6f / 50), MathF.Sqrt(6f / 50)));
        var xn = Init.XavierNormal([300, 200], new Random(2)).ToArray();
        Assert.InRange(Math.Sqrt(xn.Select(v => (double)v * v).Average()), 0.95 * Math.Sqrt(2.0 / 500), 1.05 * Math.Sqrt(2.0 / 500));
        Assert.Equal(288, Init.FanIn([128, 32, 3, 3]));
        Assert.Equal(1152, Init.FanOut([128, 32, 3, 3]));
    }

    [Fact]
    public void ParametersCreatedInsideAScope_OutliveIt()
    {
        Linear lin;
        BatchNorm2d bn;
        using (new TensorScope())
        {
            lin = new Linear(2, 2, new Random(0));
            bn = new BatchNorm2d(3);
        }
        Assert.False(lin.Weight.Buffer.IsDisposed);
        Assert.False(bn.RunningMean.Buffer.IsDisposed);
        Assert.Equal(4, lin.Weight.ToArray().Length);
    }

    [Fact]
    public void BaseCnn_HasTheReferenceLayout()
    {
        var net = BaseCnn.Build(new Random(0));
        var names = net.NamedParameters().Select(p => p.Key).ToArray();
        Assert.Equal(["conv1.weight", "bn1.weight", "bn1.bias", "conv2.weight"], names[..4]);
        Assert.Equal(["fc.weight", "fc.bias"], names[^2..]);
        Assert.Equal([32, 1, 3, 3], net.NamedParameters().First(p => p.Key == "conv1.weight").Value.Shape);
        Assert.Equal([10, 128], net.NamedParameters().First(p => p.Key == "fc.weight").Value.Shape);
        long expected = 32 * 9 + 32 * 32 * 9 + 64 * 32 * 9 + 64 * 64 * 9 + 128 * 64 * 9 + 2 * (32 + 32 + 64 + 64 + 128) + 128 * 10 + 10;
        Assert.Equal(expected, net.ParameterCount);
        Assert.Equal(10, net.NamedBuffers().Count);
        Assert.Equal([2, 10], net.Forward(Tensor.Zeros([2, 1, 8, 8])).Shape);
    }
}

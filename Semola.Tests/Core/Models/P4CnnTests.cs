using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Models;

namespace Semola.Tests.Core.Models;

public class P4CnnTests
{
    private static Tensor Images(int seed, int n, int channels, int side)
    {
        var rng = new Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, n * channels * side * side).Select(_ => (float)rng.NextDouble()).ToArray(), [n, channels, side, side]);
    }

    [Fact]
    public void ParameterCountIsAboutTheBaseCnns()
    {
        foreach (int channels in new[] { 1, 3 })
        {
            long p4 = P4Cnn.Build(new Random(0), channels).ParameterCount;
            long baseCnn = BaseCnn.Build(new Random(0), channels).ParameterCount;
            Assert.InRange(p4 / (double)baseCnn, 0.95, 1.05);
        }
    }

    [Fact]
    public void QuarterTurnsOfTheInputLeaveTheOutputUnchanged()
    {
        // Small widths keep the test fast; the structure is the full model's.
        var net = P4Cnn.Build(new Random(3), inChannels: 3, numClasses: 5, widths: [4, 4, 6, 6, 8]);
        var x = Images(1, 3, 3, 28);

        // A few training steps give the batch norms non-trivial running statistics and the weights some
        // structure beyond their initialisation.
        var adam = new Adam(net.Parameters(), 1e-2f);
        for (int step = 0; step < 3; step++)
        {
            using var scope = new TensorScope();
            adam.Step(Losses.CrossEntropy(net.Forward(Images(10 + step, 4, 3, 28)), [0, 1, 2, 3]).Backward());
        }

        net.Eval();
        using (GradMode.NoGrad())
        {
            var reference = net.Forward(x).ToArray();
            Assert.True(reference.Max(MathF.Abs) > 1e-3f);
            for (int r = 1; r < 4; r++)
            {
                var turned = net.Forward(P4.Rotate(x, r)).ToArray();
                for (int i = 0; i < reference.Length; i++)
                {
                    Assert.True(MathF.Abs(reference[i] - turned[i]) <= 1e-4f * Math.Max(1f, MathF.Abs(reference[i])), $"rotation {r}, logit {i}: {reference[i]} vs {turned[i]}");
                }
            }

            // The same check fails for the plain CNN, so it is not vacuous.
            var plain = BaseCnn.Build(new Random(3), 3, 5);
            plain.Eval();
            var a = plain.Forward(x).ToArray();
            var b = plain.Forward(P4.Rotate(x, 1)).ToArray();
            Assert.True(a.Zip(b).Max(p => MathF.Abs(p.First - p.Second)) > 1e-3f);
        }
    }

    [Fact]
    public void TrainingStepReducesTheLoss()
    {
        var net = P4Cnn.Build(new Random(4), inChannels: 1, numClasses: 3, widths: [4, 4, 4, 4, 4]);
        var x = Images(2, 6, 1, 8);
        int[] labels = [0, 1, 2, 0, 1, 2];
        var adam = new Adam(net.Parameters(), 1e-2f);
        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            using var scope = new TensorScope();
            var loss = Losses.CrossEntropy(net.Forward(x), labels);
            if (step == 0)
            {
                first = loss.Item();
            }

            last = loss.Item();
            adam.Step(loss.Backward());
        }

        Assert.True(last < 0.7f * first, $"loss {first} -> {last}");
    }
}

using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Kernels;

namespace Semola.Tests.Autodiff.Nn;

[Collection(SerialCollection.Name)]
public class TrainingTests
{
    [Fact]
    public void Mlp_LearnsXor()
    {
        var mlp = new Mlp([2, 16, 2], new Random(3));
        var opt = new Adam(mlp.Parameters(), 0.05f);
        var x = Tensor.FromArray([0f, 0, 0, 1, 1, 0, 1, 1], [4, 2]);
        int[] y = [0, 1, 1, 0];
        float loss = float.NaN;
        for (int step = 0; step < 300; step++)
        {
            using var scope = new TensorScope();
            var l = Losses.CrossEntropy(mlp.Forward(x), y);
            opt.Step(l.Backward());
            loss = l.Item();
        }
        Assert.True(loss < 0.01f, $"final loss {loss}");
        using (GradMode.NoGrad())
        {
            Assert.Equal([0f, 1, 1, 0], mlp.Forward(x).ArgMax(1).ToArray());
        }
    }

    [Fact]
    public void TrainingSteps_InAScope_ReturnLiveBuffersToBaseline()
    {
        var rng = new Random(0);
        var net = new Sequential(new Conv2d(1, 4, 3, rng, padding: 1, bias: false), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Dropout(0.2f, 1), new Linear(4 * 3 * 3, 3, rng));
        var opt = new AdamW(net.Parameters(), 0.01f);
        var images = Tensor.FromArray(TestTensors.Random(2 * 36, 1), [2, 1, 6, 6]);
        long baseline = Device.Cpu.Backend.LiveBuffers;
        for (int step = 0; step < 3; step++)
        {
            using (var scope = new TensorScope())
            {
                var loss = Losses.CrossEntropy(net.Forward(images), [0, 2]);
                var grads = loss.Backward();
                GradClip.ClipGradNorm(grads, 0.5f);
                opt.Step(grads);
                Assert.True(Device.Cpu.Backend.LiveBuffers > baseline);
            }
            Assert.Equal(baseline, Device.Cpu.Backend.LiveBuffers);
        }
    }
}

using Semola.Autodiff;
using Semola.Autodiff.Nn;

namespace Semola.Tests.Autodiff.Nn;

public class SequentialTests
{
    // Doubles its input (a new buffer) or returns a reshaped view of it (the same buffer), and keeps
    // what it saw and returned so the test can look at them afterwards.
    private sealed class Probe(bool view) : Module
    {
        public Tensor? Input { get; private set; }

        public Tensor? Output { get; private set; }

        public override Tensor Forward(Tensor input)
        {
            Input = input;
            Output = view ? input.Reshape(-1) : input.Mul(2f);
            return Output;
        }
    }

    [Fact]
    public void WithoutGradientsIntermediatesAreReleasedOnceConsumed()
    {
        var double1 = new Probe(false);
        var flatten = new Probe(true);
        var double2 = new Probe(false);
        var double3 = new Probe(false);
        var net = new Sequential(double1, flatten, double2, double3);
        var x = Tensor.FromArray([1f, 2, 3, 4], [2, 2]);

        using var scope = new TensorScope();
        Tensor y;
        using (GradMode.NoGrad())
        {
            y = net.Forward(x);
        }

        Assert.Equal([8f, 16, 24, 32], y.ToArray());
        Assert.False(x.Buffer.IsDisposed);
        Assert.False(y.Buffer.IsDisposed);
        // 2x, then its flattened view (same memory), consumed by the second doubling: released.
        Assert.Same(double1.Output!.Buffer, flatten.Output!.Buffer);
        Assert.True(double1.Output.Buffer.IsDisposed);
        Assert.True(double2.Output!.Buffer.IsDisposed);
        Assert.Same(y, double3.Output);
    }

    [Fact]
    public void AViewOfTheInputIsNeverReleased()
    {
        var flatten = new Probe(true);
        var double1 = new Probe(false);
        var net = new Sequential(flatten, double1);
        var x = Tensor.FromArray([1f, 2, 3, 4], [2, 2]);
        using (GradMode.NoGrad())
        {
            Assert.Equal([2f, 4, 6, 8], net.Forward(x).ToArray());
        }

        Assert.False(x.Buffer.IsDisposed);
        Assert.Equal([1f, 2, 3, 4], x.ToArray());
    }

    [Fact]
    public void WithGradientsEveryIntermediateStaysAlive()
    {
        var double1 = new Probe(false);
        var double2 = new Probe(false);
        var net = new Sequential(double1, double2);
        var x = Tensor.FromArray([1f, 2], [2]);
        x.RequiresGrad = true;
        var y = net.Forward(x).Sum();
        Assert.False(double1.Output!.Buffer.IsDisposed);
        var grads = y.Backward();
        Assert.Equal([4f, 4], grads[x].ToArray());
    }

    [Fact]
    public void ReleasingIntermediatesLeavesTheResultOfTheReferenceCnnUnchanged()
    {
        var net = Semola.Core.Models.BaseCnn.Build(new Random(3));
        net.Train(false);
        var rng = new Random(4);
        var x = Tensor.Uniform([3, 1, 28, 28], -1f, 1f, rng);
        var withTape = net.Forward(x).ToArray();
        float[] without;
        using (GradMode.NoGrad())
        using (var scope = new TensorScope())
        {
            without = net.Forward(x).ToArray();
        }

        Assert.Equal(withTape, without);
    }
}

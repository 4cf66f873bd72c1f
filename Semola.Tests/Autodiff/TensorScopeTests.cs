using Semola.Autodiff;
using Semola.Kernels;

namespace Semola.Tests.Autodiff;

/// <summary>Reads the CPU backend's process-wide live-buffer counter, so it runs alone.</summary>
[Collection(SerialCollection.Name)]
public class TensorScopeTests
{
    [Fact]
    public void ScopeFreesIntermediatesAndKeepsWhatIsAsked()
    {
        var backend = Device.Cpu.Backend;
        var w = Tensor.Uniform([8, 8], -1, 1, new Random(1));
        w.RequiresGrad = true;
        long baseline = backend.LiveBuffers;
        Tensor kept;
        Tensor dropped;
        for (int step = 0; step < 3; step++)
        {
            using var scope = new TensorScope();
            var x = Tensor.Uniform([4, 8], -1, 1, new Random(step));
            var loss = x.MatMul(w).Relu().Square().Mean();
            var grads = loss.Backward();
            Assert.True(backend.LiveBuffers > baseline);
            dropped = grads[w];
            kept = scope.Keep(loss);
            scope.Dispose();
            Assert.Equal(baseline + 1, backend.LiveBuffers);
            Assert.True(kept.Item() >= 0);
            Assert.Throws<ObjectDisposedException>(() => dropped.ToArray());
            kept.Buffer.Dispose();
            Assert.Equal(baseline, backend.LiveBuffers);
        }
    }
}

using Semola.Autodiff;
using Semola.Core.Actions;
using Semola.Core.Lie;
using Semola.Core.Training;

namespace Semola.Tests.Core;

public class PaddedPointSetActionTests
{
    [Fact]
    public void RealPointsMovePaddingStaysAtTheOriginFeaturesStay()
    {
        // Two molecules, three slots each: [x, y, z, feature, mask]; molecule 1 has one padded slot.
        float[] x =
        [
            1, 0, 0, 7, 1, 0, 2, 0, 8, 1, 0, 0, 0, 0, 0,
            0, 0, 1, 5, 1, 1, 1, 1, 6, 1, 2, 0, 1, 4, 1,
        ];
        var se3 = LieAlgebraBases.Se3();
        var g = new GroundTruthGroup(se3, [1f, 1f, 1f, 1f, 1f, 1f]).Sample(2, new Random(3), Semola.Kernels.Device.Cpu);
        var y = new PaddedPointSetAction().Apply(g, Tensor.FromArray(x, [2, 3, 5])).ToArray();
        var expected = new PointSetAction().Apply(g, Tensor.FromArray(x, [2, 3, 5])).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            bool padded = i >= 10 && i < 15;
            bool position = i % 5 < 3;
            double want = padded && position ? 0 : (position ? expected[i] : x[i]);
            Assert.Equal(want, y[i], 5);
        }
        Assert.NotEqual(x[0], y[0]);
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class RotatedMnistTests
{
    private static ImageDataSet Digits(int n)
    {
        var rng = new Random(1);
        var pixels = new float[n * 28 * 28];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)rng.NextDouble();
        }
        return new ImageDataSet(pixels, Enumerable.Range(0, n).Select(i => i % 10).ToArray(), 1, 28, 28);
    }

    [Theory]
    [InlineData(RotationVariant.Id, 180.0)]
    [InlineData(RotationVariant.Ood, 45.0)]
    public void AnglesFollowTheVariant(RotationVariant variant, double trainHalfDegrees)
    {
        var split = RotatedMnist.Build(Digits(400), 300, 100, variant, seed: 3);
        double limit = trainHalfDegrees * Math.PI / 180 + 1e-6;
        Assert.All(split.TrainAngles, a => Assert.InRange(a, -limit, limit));
        Assert.All(split.TestAngles, a => Assert.InRange(a, -Math.PI - 1e-6, Math.PI + 1e-6));
        // The test angles cover the full turn, also in the OOD variant.
        Assert.Contains(split.TestAngles, a => Math.Abs(a) > Math.PI / 2);
        if (variant == RotationVariant.Id)
        {
            Assert.Contains(split.TrainAngles, a => Math.Abs(a) > Math.PI / 2);
        }
        Assert.Equal(300, split.Train.Count);
        Assert.Equal(100, split.Test.Count);
        Assert.Equal(Enumerable.Range(300, 100).Select(i => i % 10), split.Test.Labels);
    }

    [Fact]
    public void ZeroAngleKeepsTheImageAndHalfTurnFlipsIt()
    {
        var d = Digits(2);
        var same = RotatedMnist.Rotate(d, [0f, MathF.PI]);
        Assert.Equal(d.Image(0).ToArray(), same.Image(0).ToArray());
        var src = d.Image(1).ToArray();
        var rot = same.Image(1).ToArray();
        for (int i = 0; i < 28; i++)
        {
            for (int j = 0; j < 28; j++)
            {
                Assert.True(Math.Abs(src[(27 - i) * 28 + (27 - j)] - rot[i * 28 + j]) < 1e-4f);
            }
        }
    }

    [Fact]
    public void SameSeedSameData()
    {
        var a = RotatedMnist.Build(Digits(50), 30, 20, RotationVariant.Id, 7);
        var b = RotatedMnist.Build(Digits(50), 30, 20, RotationVariant.Id, 7);
        Assert.Equal(a.Train.Pixels, b.Train.Pixels);
        Assert.Equal(a.TestAngles, b.TestAngles);
    }

    [Fact]
    public void TooManyRequestedDigitsIsAClearError()
    {
        var ex = Assert.Throws<ArgumentException>(() => RotatedMnist.Build(Digits(10), 8, 5, RotationVariant.Id, 1));
        Assert.Contains("10 digits", ex.Message);
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class SyntheticTexturesTests
{
    [Fact]
    public void ClassesAreBalancedAndPixelsInRange()
    {
        var set = SyntheticTextures.Generate(120, seed: 1);
        Assert.Equal((3, 28, 28), (set.Channels, set.Height, set.Width));
        Assert.All(set.ClassCounts(SyntheticTextures.NumClasses), c => Assert.Equal(20, c));
        Assert.All(set.Pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(64, SyntheticTextures.Generate(6, seed: 1, size: 64).Height);
    }

    [Fact]
    public void SameSeedSameImages()
    {
        var a = SyntheticTextures.Generate(24, seed: 9, out float[] anglesA);
        var b = SyntheticTextures.Generate(24, seed: 9, out float[] anglesB);
        var c = SyntheticTextures.Generate(24, seed: 10);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(anglesA, anglesB);
        Assert.NotEqual(a.Pixels, c.Pixels);
        Assert.All(SyntheticTextures.Generate(60, seed: 2, out float[] ood, maxAngleDegrees: 45).Labels, _ => { });
        Assert.All(ood, t => Assert.InRange(t, -MathF.PI / 4, MathF.PI / 4));
    }

    [Fact]
    public void ClassesDifferInTheirStatistics()
    {
        // Simple orientation-free statistics separate the classes on average: ink coverage (how far
        // pixels are from the paper colour), mean green-minus-blue (colour) and the mean absolute
        // difference between neighbouring pixels (fine versus coarse texture).
        var set = SyntheticTextures.Generate(600, seed: 5);
        int s = set.Height, plane = s * s;
        var stats = new double[SyntheticTextures.NumClasses, 3];
        for (int n = 0; n < set.Count; n++)
        {
            var img = set.Image(n);
            double ink = 0, colour = 0, rough = 0;
            for (int p = 0; p < plane; p++)
            {
                ink += 0.93 - img[p];
                colour += img[p] - img[(2 * plane) + p];
                if (p % s < s - 1)
                {
                    rough += Math.Abs(img[plane + p] - img[plane + p + 1]);
                }
            }

            stats[set.Labels[n], 0] += ink / plane / 100;
            stats[set.Labels[n], 1] += colour / plane / 100;
            stats[set.Labels[n], 2] += rough / plane / 100;
        }

        // Fine stripes are rougher than coarse ones; fine blobs rougher than coarse blobs.
        Assert.True(stats[2, 2] > stats[3, 2] * 1.3, $"stripes roughness {stats[2, 2]} vs {stats[3, 2]}");
        Assert.True(stats[0, 2] > stats[1, 2] * 1.2, $"blob roughness {stats[0, 2]} vs {stats[1, 2]}");
        // Pink blobs differ from purple blobs in colour (red minus blue).
        Assert.True(stats[4, 1] > stats[0, 1] + 0.1, $"colour {stats[4, 1]} vs {stats[0, 1]}");
    }

    [Fact]
    public void OrientationIsUniformAndLabelFree()
    {
        // A rotation of the canonical texture, not the label, decides the stripes' direction: the mean
        // horizontal and vertical gradient energies of the stripe classes agree over many patches.
        var set = SyntheticTextures.Generate(1200, seed: 8);
        int s = set.Height;
        double horizontal = 0, vertical = 0;
        for (int n = 0; n < set.Count; n++)
        {
            if (set.Labels[n] != 3)
            {
                continue;
            }

            var img = set.Image(n)[(s * s)..]; // green: the channel with the most contrast
            for (int y = 0; y < s - 1; y++)
            {
                for (int x = 0; x < s - 1; x++)
                {
                    double gx = img[(y * s) + x + 1] - img[(y * s) + x], gy = img[((y + 1) * s) + x] - img[(y * s) + x];
                    horizontal += gx * gx;
                    vertical += gy * gy;
                }
            }
        }

        Assert.InRange(horizontal / vertical, 0.85, 1.18);

        // With no rotation allowed, the stripes would all run one way.
        var fixedSet = SyntheticTextures.Generate(120, seed: 8, maxAngleDegrees: 0, reflect: false);
        double h0 = 0, v0 = 0;
        for (int n = 3; n < fixedSet.Count; n += SyntheticTextures.NumClasses)
        {
            var img = fixedSet.Image(n)[(s * s)..];
            for (int y = 0; y < s - 1; y++)
            {
                for (int x = 0; x < s - 1; x++)
                {
                    double gx = img[(y * s) + x + 1] - img[(y * s) + x], gy = img[((y + 1) * s) + x] - img[(y * s) + x];
                    h0 += gx * gx;
                    v0 += gy * gy;
                }
            }
        }

        Assert.True(h0 > 5 * v0, $"unrotated stripes: horizontal {h0} vertical {v0}");
    }
}

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
    public void DistinctClassesDifferInTheirStatistics()
    {
        // Simple orientation-free statistics separate the classes on average: ink coverage (how far
        // pixels are from the paper colour), mean green-minus-blue (colour) and the mean absolute
        // difference between neighbouring pixels (fine versus coarse texture).
        var set = SyntheticTextures.Generate(600, seed: 5, classes: TextureClasses.Distinct, circularField: false);
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
        var set = SyntheticTextures.Generate(1200, seed: 8, circularField: false);
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

        // With no rotation allowed, the stripes would all run one way (pixel noise adds the same energy both ways).
        var fixedSet = SyntheticTextures.Generate(120, seed: 8, maxAngleDegrees: 0, reflect: false, circularField: false);
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

        Assert.True(h0 > 2 * v0, $"unrotated stripes: horizontal {h0} vertical {v0}");
    }

    [Fact]
    public void TheRoundFieldOnlyMasksThePatch()
    {
        var round = SyntheticTextures.Generate(12, seed: 3);
        var square = SyntheticTextures.Generate(12, seed: 3, circularField: false);
        int s = round.Height, plane = s * s, inside = 0;
        for (int p = 0; p < plane; p++)
        {
            inside += SyntheticTextures.InField(p, s) ? 1 : 0;
        }

        // The inscribed disc: about pi / 4 of the square, its corners out and its edge midpoints in.
        Assert.InRange(inside, (int)(0.75 * plane), (int)(0.82 * plane));
        Assert.False(SyntheticTextures.InField(0, s));
        Assert.True(SyntheticTextures.InField(s / 2, s));
        Assert.True(SyntheticTextures.InField((s / 2 * s) + s - 1, s));
        for (int n = 0; n < round.Count; n++)
        {
            var a = round.Image(n);
            var b = square.Image(n);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(SyntheticTextures.InField(i % plane, s) ? b[i] : 0f, a[i]);
            }
        }
    }

    [Fact]
    public void SubtleClassesDifferOnlyInTexture()
    {
        // Per class: mean ink colour (red minus blue, over ink-heavy pixels), ink coverage, roughness (mean absolute
        // difference of neighbours, which falls with blob size and stripe period) and coherence (how strongly the
        // gradients of a patch share one direction: aligned fibres against fibres at random angles).
        var set = SyntheticTextures.Generate(1200, seed: 6, circularField: false);
        int s = set.Height, plane = s * s;
        var colour = new double[SyntheticTextures.NumClasses];
        var cover = new double[SyntheticTextures.NumClasses];
        var rough = new double[SyntheticTextures.NumClasses];
        var coherence = new double[SyntheticTextures.NumClasses];
        var gray = new double[plane];
        for (int n = 0; n < set.Count; n++)
        {
            var img = set.Image(n);
            int label = set.Labels[n];
            double redBlue = 0, inkPixels = 0, ink = 0, r = 0, jxx = 0, jyy = 0, jxy = 0;
            for (int p = 0; p < plane; p++)
            {
                gray[p] = (img[p] + img[plane + p] + img[(2 * plane) + p]) / 3;
                ink += 0.9 - gray[p];
                if (gray[p] < 0.6)
                {
                    redBlue += img[p] - img[(2 * plane) + p];
                    inkPixels++;
                }
            }

            for (int y = 1; y < s - 1; y++)
            {
                for (int x = 1; x < s - 1; x++)
                {
                    int p = (y * s) + x;
                    double gx = (gray[p + 1] - gray[p - 1]) / 2, gy = (gray[p + s] - gray[p - s]) / 2;
                    r += Math.Abs(gray[p + 1] - gray[p]);
                    jxx += gx * gx;
                    jyy += gy * gy;
                    jxy += gx * gy;
                }
            }

            colour[label] += redBlue / Math.Max(1, inkPixels) / 200;
            cover[label] += ink / plane / 200;
            rough[label] += r / plane / 200;
            coherence[label] += Math.Sqrt(((jxx - jyy) * (jxx - jyy)) + (4 * jxy * jxy)) / (jxx + jyy) / 200;
        }

        // Colour carries no class information: every class's mean ink colour is within a few hundredths of the others'.
        Assert.True(colour.Max() - colour.Min() < 0.05, $"mean red-blue by class: {string.Join(", ", colour)}");
        // Small and large blobs cover about as much of the patch; the small ones are rougher, but not by much.
        Assert.InRange(cover[0] / cover[1], 0.8, 1.25);
        Assert.InRange(rough[0] / rough[1], 1.03, 1.5);
        // Fine stripes are rougher than coarser ones, again by a small margin.
        Assert.InRange(rough[2] / rough[3], 1.03, 1.5);
        // Aligned fibres have more coherent gradients than fibres at random angles.
        Assert.True(coherence[4] > coherence[5] * 1.3, $"coherence aligned {coherence[4]} random {coherence[5]}");
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class StratifiedSplitTests
{
    // Imbalanced classes, interleaved like the shipped digits (some classes far rarer than others).
    private static ImageDataSet Imbalanced(out int[] perClass)
    {
        perClass = [200, 327, 150, 63, 90, 11];
        var labels = new List<int>();
        var left = (int[])perClass.Clone();
        while (left.Any(l => l > 0))
        {
            for (int c = 0; c < left.Length; c++)
            {
                if (left[c]-- > 0)
                {
                    labels.Add(c);
                }
            }
        }

        var pixels = Enumerable.Range(0, labels.Count * 4).Select(i => (float)i).ToArray();
        return new ImageDataSet(pixels, labels.ToArray(), 1, 2, 2);
    }

    [Fact]
    public void EveryClassKeepsItsProportionInEveryPart()
    {
        var all = Imbalanced(out int[] perClass);
        var split = StratifiedSplit.Split(all, 0.7, 0.15, seed: 3);
        double[] fractions = [0.7, 0.15, 0.15];
        var parts = new[] { split.Train, split.Validation, split.Test };
        Assert.Equal(all.Count, parts.Sum(p => p.Count));
        for (int k = 0; k < 3; k++)
        {
            var counts = parts[k].ClassCounts(perClass.Length);
            for (int c = 0; c < perClass.Length; c++)
            {
                Assert.True(Math.Abs(counts[c] - (perClass[c] * fractions[k])) <= 1, $"part {k} class {c}: {counts[c]} of {perClass[c]}");
            }
        }

        // Every image lands in exactly one part (pixels identify the images).
        var firstPixels = parts.SelectMany(p => Enumerable.Range(0, p.Count).Select(i => p.Image(i)[0])).ToArray();
        Assert.Equal(all.Count, firstPixels.Distinct().Count());

        // A plain random split of the same sizes would not keep the rare class's share this closely; the
        // stratified one is also deterministic by seed and mixes the classes within each part.
        Assert.Equal(split.Test.Labels, StratifiedSplit.Split(all, 0.7, 0.15, seed: 3).Test.Labels);
        Assert.NotEqual(split.Test.Labels, StratifiedSplit.Split(all, 0.7, 0.15, seed: 4).Test.Labels);
        Assert.NotEqual(split.Train.Labels.Order().ToArray(), split.Train.Labels);
    }

    [Fact]
    public void BadFractionsAreRefused()
    {
        var all = Imbalanced(out _);
        Assert.Throws<ArgumentException>(() => StratifiedSplit.Indices(all.Labels, [0.7, 0.4], seed: 0));
        Assert.Throws<ArgumentException>(() => StratifiedSplit.Split(all, 0.7, 0.3, seed: 0));
    }
}

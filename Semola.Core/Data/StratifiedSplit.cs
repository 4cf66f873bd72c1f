namespace Semola.Core.Data;

/// <summary>
/// Seeded splits that keep every class in the same proportion in each part: each class's images are
/// shuffled and cut at the rounded cumulative fractions, so a part holds within one image of its share of
/// every class. Parts are then shuffled so that classes are mixed.
/// </summary>
public static class StratifiedSplit
{
    /// <summary>
    /// Indices of the items in each part: part k gets fraction <paramref name="fractions"/>[k] of every
    /// class (to the nearest item, cumulatively rounded). Fractions must be positive and sum to at most 1;
    /// items beyond their sum are left out.
    /// </summary>
    /// <exception cref="ArgumentException">A fraction is not positive, they sum to more than 1, or a label is negative.</exception>
    public static int[][] Indices(ReadOnlySpan<int> labels, IReadOnlyList<double> fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count == 0 || fractions.Any(f => !(f > 0)) || fractions.Sum() > 1 + 1e-9)
        {
            throw new ArgumentException($"Stratified split: fractions ({string.Join(", ", fractions)}) must be positive and sum to at most 1.", nameof(fractions));
        }

        var byClass = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentException($"Stratified split: label {i} is negative ({labels[i]}).", nameof(labels));
            }

            if (!byClass.TryGetValue(labels[i], out var list))
            {
                byClass[labels[i]] = list = [];
            }

            list.Add(i);
        }

        var rng = new Random(seed);
        var parts = fractions.Select(_ => new List<int>()).ToArray();
        foreach (var members in byClass.Values)
        {
            var order = members.ToArray();
            rng.Shuffle(order);
            double cumulative = 0;
            int start = 0;
            for (int k = 0; k < fractions.Count; k++)
            {
                cumulative += fractions[k];
                int end = Math.Min(order.Length, (int)Math.Round(order.Length * Math.Min(1.0, cumulative), MidpointRounding.AwayFromZero));
                parts[k].AddRange(order[start..end]);
                start = end;
            }
        }

        return parts.Select(p =>
        {
            var a = p.ToArray();
            rng.Shuffle(a);
            return a;
        }).ToArray();
    }

    /// <summary>
    /// Splits into train, validation and test with the given fractions of every class; the test part gets
    /// the rest (1 - train - validation).
    /// </summary>
    /// <exception cref="ArgumentException">Fractions outside (0, 1) or leaving no test part, or a part would be empty.</exception>
    public static ImageSplits Split(ImageDataSet all, double trainFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        double testFraction = 1 - trainFraction - validationFraction;
        if (!(trainFraction > 0) || !(validationFraction > 0) || !(testFraction > 1e-9))
        {
            throw new ArgumentException($"Stratified split: train {trainFraction} and validation {validationFraction} fractions must be positive and sum to less than 1.");
        }

        var parts = Indices(all.Labels, [trainFraction, validationFraction, testFraction], seed);
        if (parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"Stratified split: {all.Count} images are too few for fractions {trainFraction}/{validationFraction}/{testFraction}.");
        }

        return new ImageSplits(all.Subset(parts[0]), all.Subset(parts[1]), all.Subset(parts[2]));
    }
}

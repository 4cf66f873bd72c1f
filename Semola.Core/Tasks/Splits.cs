namespace Semola.Core.Tasks;

/// <summary>Seeded index splits shared by the tasks.</summary>
public static class Splits
{
    /// <summary>
    /// Splits 0..count-1 into training and validation indices: a seeded random <paramref name="fraction"/> (at least
    /// one index, and at least one left to train) validates; both lists are in increasing order.
    /// </summary>
    public static (int[] Train, int[] Validation) CarveValidation(int count, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1))
        {
            throw new ArgumentException($"--val-fraction must be between 0 and 1 (exclusive), got {fraction}.");
        }
        if (count < 2)
        {
            throw new ArgumentException($"{count} training samples cannot be split into training and validation.");
        }
        int validation = Math.Clamp((int)Math.Round(count * fraction), 1, count - 1);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(unchecked(seed * 31 + 977)).Shuffle(order);
        var val = order.Take(validation).Order().ToArray();
        var train = order.Skip(validation).Order().ToArray();
        return (train, val);
    }
}

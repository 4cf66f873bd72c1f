namespace Semola.Core.Data;

/// <summary>
/// A train/validation/test partition of a molecule set, drawn at random (seeded). <see cref="Standard"/>
/// is the usual QM9 split: 100,000 training molecules, 10% (rounded down) for test and the rest for
/// validation (100,000 / 17,748 / 13,083 on the 130,831 molecules left after removing the 3,054 that
/// failed the consistency check); smaller sets get the same proportions.
/// </summary>
/// <param name="Train">Training molecules.</param>
/// <param name="Validation">Validation molecules.</param>
/// <param name="Test">Test molecules.</param>
public sealed record MoleculeSplit(MoleculeDataSet Train, MoleculeDataSet Validation, MoleculeDataSet Test)
{
    /// <summary>Training molecules of the standard split of the full set.</summary>
    public const int StandardTrainCount = 100_000;

    /// <summary>Size of the cleaned QM9 set (133,885 less 3,054), the reference for the standard proportions.</summary>
    public const int CleanedQm9Count = 130_831;

    /// <summary>
    /// The standard split: with more than 110,000 molecules, 100,000 train, floor(10%) test and the rest
    /// validation; otherwise the same proportions (train 100,000 / 130,831 of the set, test 10%).
    /// </summary>
    public static MoleculeSplit Standard(MoleculeDataSet all, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        int test = all.Count / 10;
        int train = all.Count > 110_000
            ? StandardTrainCount
            : (int)Math.Round(all.Count * (double)StandardTrainCount / CleanedQm9Count);
        return ByCounts(all, train, all.Count - train - test, seed);
    }

    /// <summary>A random split by fractions of the set (each rounded to the nearest molecule); test gets the rest.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fraction is outside (0, 1), or they sum to 1 or more.</exception>
    public static MoleculeSplit ByFractions(MoleculeDataSet all, double trainFraction, double validationFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (!(trainFraction > 0 && trainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction must lie in (0, 1).");
        }

        if (!(validationFraction > 0 && validationFraction < 1) || trainFraction + validationFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction, "The validation fraction must lie in (0, 1) and leave a positive test fraction.");
        }

        int train = (int)Math.Round(all.Count * trainFraction);
        int validation = (int)Math.Round(all.Count * validationFraction);
        return ByCounts(all, train, validation, seed);
    }

    /// <summary>
    /// A random split with <paramref name="trainCount"/> training and <paramref name="validationCount"/>
    /// validation molecules; the test set gets the rest. The permutation depends only on the seed and the size.
    /// </summary>
    /// <exception cref="ArgumentException">A part would be empty.</exception>
    public static MoleculeSplit ByCounts(MoleculeDataSet all, int trainCount, int validationCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        int testCount = all.Count - trainCount - validationCount;
        if (trainCount < 1 || validationCount < 1 || testCount < 1)
        {
            throw new ArgumentException(
                $"Molecules: {all.Count} molecules cannot be split into {trainCount} train, {validationCount} validation and {testCount} test; each part needs at least one.");
        }

        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(seed).Shuffle(order);
        return new MoleculeSplit(
            all.Subset(order.AsSpan(0, trainCount)),
            all.Subset(order.AsSpan(trainCount, validationCount)),
            all.Subset(order.AsSpan(trainCount + validationCount)));
    }
}

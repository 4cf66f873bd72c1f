namespace Semola.Core.Data;

/// <summary>
/// A train/test pair of trajectory sets, and the two ways of splitting one set: <c>ood</c> by body 1's
/// initial angle (train (-180, 0.6] degrees, test the rest) and <c>id</c> at random.
/// </summary>
/// <param name="Train">Training trajectories.</param>
/// <param name="Test">Test trajectories.</param>
public sealed record NBodySplit(NBodyTrajectories Train, NBodyTrajectories Test)
{
    /// <summary>Lower (exclusive) end of the OOD train range of body 1's initial angle, in degrees.</summary>
    public const double OodTrainMinDegrees = -180.0;

    /// <summary>Upper (inclusive) end of the OOD train range of body 1's initial angle, in degrees.</summary>
    public const double OodTrainMaxDegrees = 0.6;

    /// <summary>True when an initial angle (degrees, as atan2 gives it) falls in the OOD train range.</summary>
    public static bool InOodTrainRange(double degrees) => degrees > OodTrainMinDegrees && degrees <= OodTrainMaxDegrees;

    /// <summary>Splits by body 1's initial angle: train (-180, 0.6] degrees, test the rest (order kept).</summary>
    public static NBodySplit ByInitialAngle(NBodyTrajectories all)
    {
        ArgumentNullException.ThrowIfNull(all);
        var train = new List<int>();
        var test = new List<int>();
        for (int n = 0; n < all.Count; n++)
        {
            (InOodTrainRange(all.InitialAngleDegrees(n)) ? train : test).Add(n);
        }
        if (train.Count == 0 || test.Count == 0)
        {
            throw new ArgumentException($"N-body: the angle split leaves {train.Count} train and {test.Count} test trajectories; both must be non-empty.");
        }
        return new NBodySplit(all.Subset(train), all.Subset(test));
    }

    /// <summary>Splits at random (seeded): a fraction <paramref name="trainFraction"/> of the trajectories trains.</summary>
    public static NBodySplit Random(NBodyTrajectories all, double trainFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(all);
        if (!(trainFraction > 0 && trainFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The train fraction must lie in (0, 1).");
        }
        int trainCount = (int)Math.Round(all.Count * trainFraction);
        if (trainCount < 1 || trainCount >= all.Count)
        {
            throw new ArgumentException($"N-body: {all.Count} trajectories are too few to split with train fraction {trainFraction}.");
        }
        var order = Enumerable.Range(0, all.Count).ToArray();
        new System.Random(seed).Shuffle(order);
        return new NBodySplit(all.Subset(order[..trainCount]), all.Subset(order[trainCount..]));
    }
}

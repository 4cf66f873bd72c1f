namespace Semola.Experiments;

/// <summary>
/// One candidate generator's tests as a <c>discover</c> results.json records them (its <c>tests</c> list), read by
/// <see cref="ResultsReader"/>; numbers it does not record are NaN.
/// </summary>
public sealed record DiscoverTest
{
    /// <summary>Whether the generator's one-parameter group is compact (it closes into a circle), or null.</summary>
    public bool? Compact { get; init; }

    /// <summary>The group's half period when it is compact, or NaN.</summary>
    public double HalfPeriod { get; init; } = double.NaN;

    /// <summary>The magnitude t of the transformation exp(t L) the tests apply.</summary>
    public double TestMagnitude { get; init; } = double.NaN;

    /// <summary>Held-out loss of the reference model on transformed rows over that on the original rows.</summary>
    public double LossRatio { get; init; } = double.NaN;

    /// <summary>Lower end of the loss ratio's 95 % confidence interval.</summary>
    public double LossRatioLow { get; init; } = double.NaN;

    /// <summary>Upper end of the loss ratio's 95 % confidence interval.</summary>
    public double LossRatioHigh { get; init; } = double.NaN;

    /// <summary>p-value of the target test.</summary>
    public double PValue { get; init; } = double.NaN;

    /// <summary>Held-out accuracy of the classifier that tells original from transformed rows (0.5 when it cannot).</summary>
    public double DistributionAccuracy { get; init; } = double.NaN;

    /// <summary>p-value of that distribution (two-sample) test.</summary>
    public double DistributionPValue { get; init; } = double.NaN;
}

namespace Semola.Autodiff.Optim;

/// <summary>
/// Linear warm-up in front of another schedule: lr = inner(step) * (step + 1) / warmupSteps while
/// step &lt; warmupSteps, then inner(step).
/// </summary>
public sealed class LinearWarmup : LrSchedule
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public LinearWarmup(LrSchedule inner, int warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        Inner = inner;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The schedule after (and scaled during) the warm-up.</summary>
    public LrSchedule Inner { get; }

    /// <summary>Length of the warm-up.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc />
    public override float LearningRate(int step)
    {
        CheckStep(step);
        float lr = Inner.LearningRate(step);
        return step < WarmupSteps ? (float)(lr * (step + 1.0) / WarmupSteps) : lr;
    }
}

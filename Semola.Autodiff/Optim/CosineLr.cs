namespace Semola.Autodiff.Optim;

/// <summary>
/// Cosine annealing: lr = minLr + (baseLr - minLr) * (1 + cos(pi * t / totalSteps)) / 2 with
/// t = min(step, totalSteps), so the rate stays at minLr after totalSteps.
/// </summary>
public sealed class CosineLr : LrSchedule
{
    /// <summary>Creates the schedule.</summary>
    public CosineLr(float baseLr, int totalSteps, float minLr = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        BaseLr = baseLr;
        TotalSteps = totalSteps;
        MinLr = minLr;
    }

    /// <summary>The initial rate.</summary>
    public float BaseLr { get; }

    /// <summary>Steps from the initial to the final rate.</summary>
    public int TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public float MinLr { get; }

    /// <inheritdoc />
    public override float LearningRate(int step)
    {
        CheckStep(step);
        double t = Math.Min(step, TotalSteps) / (double)TotalSteps;
        return (float)(MinLr + (BaseLr - MinLr) * 0.5 * (1.0 + Math.Cos(Math.PI * t)));
    }
}

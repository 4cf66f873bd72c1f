namespace Semola.Autodiff.Optim;

/// <summary>A learning-rate schedule: the rate for a step (or epoch) counted from 0.</summary>
public abstract class LrSchedule
{
    /// <summary>The learning rate at <paramref name="step"/> (0-based).</summary>
    public abstract float LearningRate(int step);

    /// <summary>Sets <paramref name="optimizer"/>'s learning rate for <paramref name="step"/>; returns the rate.</summary>
    public float Apply(Optimizer optimizer, int step)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        float lr = LearningRate(step);
        optimizer.LearningRate = lr;
        return lr;
    }

    /// <summary>Throws for a negative step.</summary>
    protected static void CheckStep(int step) => ArgumentOutOfRangeException.ThrowIfNegative(step);
}

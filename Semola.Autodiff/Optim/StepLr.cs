namespace Semola.Autodiff.Optim;

/// <summary>Step decay: lr = baseLr * gamma ^ floor(step / stepSize).</summary>
public sealed class StepLr : LrSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepLr(float baseLr, int stepSize, float gamma = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        BaseLr = baseLr;
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>The initial rate.</summary>
    public float BaseLr { get; }

    /// <summary>Steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>Factor applied at each decay.</summary>
    public float Gamma { get; }

    /// <inheritdoc />
    public override float LearningRate(int step)
    {
        CheckStep(step);
        return (float)(BaseLr * Math.Pow(Gamma, step / StepSize));
    }
}

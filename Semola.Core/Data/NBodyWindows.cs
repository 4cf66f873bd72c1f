namespace Semola.Core.Data;

/// <summary>
/// Regression samples cut from trajectories: every window of <see cref="InputSteps"/> consecutive states
/// (the input x) followed by the next <see cref="OutputSteps"/> states (the target y). A trajectory of T
/// states gives T - InputSteps - OutputSteps + 1 windows. x and y are flattened step-major,
/// [Count, InputSteps * StateSize] and [Count, OutputSteps * StateSize].
/// </summary>
public sealed class NBodyWindows
{
    private NBodyWindows(float[] x, float[] y, int count, int inputSteps, int outputSteps, int stateSize)
    {
        X = x;
        Y = y;
        Count = count;
        InputSteps = inputSteps;
        OutputSteps = outputSteps;
        StateSize = stateSize;
    }

    /// <summary>Inputs, [Count, InputSize].</summary>
    public float[] X { get; }

    /// <summary>Targets, [Count, OutputSize].</summary>
    public float[] Y { get; }

    /// <summary>Number of windows.</summary>
    public int Count { get; }

    /// <summary>States in an input.</summary>
    public int InputSteps { get; }

    /// <summary>States in a target.</summary>
    public int OutputSteps { get; }

    /// <summary>Values per state.</summary>
    public int StateSize { get; }

    /// <summary>Length of a flattened input.</summary>
    public int InputSize => InputSteps * StateSize;

    /// <summary>Length of a flattened target.</summary>
    public int OutputSize => OutputSteps * StateSize;

    /// <summary>Cuts every window from every trajectory (trajectory-major, then by start step).</summary>
    public static NBodyWindows Build(NBodyTrajectories trajectories, int inputSteps, int outputSteps)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        if (inputSteps < 1 || outputSteps < 1)
        {
            throw new ArgumentException($"N-body: input steps ({inputSteps}) and output steps ({outputSteps}) must be at least 1.");
        }
        int perTrajectory = trajectories.Steps - inputSteps - outputSteps + 1;
        if (perTrajectory < 1)
        {
            throw new ArgumentException($"N-body: trajectories of {trajectories.Steps} states are too short for {inputSteps} input and {outputSteps} output steps.");
        }
        int d = trajectories.StateSize;
        int count = trajectories.Count * perTrajectory;
        var x = new float[count * inputSteps * d];
        var y = new float[count * outputSteps * d];
        int w = 0;
        for (int n = 0; n < trajectories.Count; n++)
        {
            var traj = trajectories.Trajectory(n);
            for (int s = 0; s < perTrajectory; s++, w++)
            {
                traj.Slice(s * d, inputSteps * d).CopyTo(x.AsSpan(w * inputSteps * d));
                traj.Slice((s + inputSteps) * d, outputSteps * d).CopyTo(y.AsSpan(w * outputSteps * d));
            }
        }
        return new NBodyWindows(x, y, count, inputSteps, outputSteps, d);
    }
}

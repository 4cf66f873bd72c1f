namespace Semola.Core.Data;

/// <summary>
/// N-body trajectories held in memory: <see cref="Count"/> trajectories of <see cref="Steps"/> states,
/// each of <see cref="StateSize"/> = 4 * bodies values laid out per body as (q_x, q_y, p_x, p_y), i.e.
/// (q1, p1, q2, p2, ...) with every entry an (x, y) pair (docs/nbody.md). Values are stored trajectory
/// after trajectory, step after step: index = (n * Steps + t) * StateSize + c.
/// </summary>
public sealed class NBodyTrajectories
{
    /// <summary>Wraps the given array (no copy).</summary>
    /// <exception cref="ArgumentException">The length does not match the shape, or the state size is not a positive multiple of 4.</exception>
    public NBodyTrajectories(float[] data, int count, int steps, int stateSize)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (stateSize < 4 || stateSize % 4 != 0)
        {
            throw new ArgumentException($"N-body: a state holds (q, p) as (x, y) pairs for every body, so its size must be a positive multiple of 4; got {stateSize}.", nameof(stateSize));
        }
        if ((long)count * steps * stateSize != data.LongLength)
        {
            throw new ArgumentException($"N-body: {count} trajectories x {steps} steps x {stateSize} values = {(long)count * steps * stateSize}, but {data.LongLength} values were given.", nameof(data));
        }
        Data = data;
        Count = count;
        Steps = steps;
        StateSize = stateSize;
    }

    /// <summary>All values, (n * Steps + t) * StateSize + c.</summary>
    public float[] Data { get; }

    /// <summary>Number of trajectories.</summary>
    public int Count { get; }

    /// <summary>States per trajectory.</summary>
    public int Steps { get; }

    /// <summary>Values per state (4 per body).</summary>
    public int StateSize { get; }

    /// <summary>Number of bodies.</summary>
    public int Bodies => StateSize / 4;

    /// <summary>Values of one trajectory, [Steps * StateSize].</summary>
    public ReadOnlySpan<float> Trajectory(int n) => Data.AsSpan(n * Steps * StateSize, Steps * StateSize);

    /// <summary>Body 1's initial angle atan2(q1_y, q1_x) of trajectory <paramref name="n"/>, in degrees in (-180, 180].</summary>
    public double InitialAngleDegrees(int n)
    {
        int o = n * Steps * StateSize;
        return Math.Atan2(Data[o + 1], Data[o]) * 180.0 / Math.PI;
    }

    /// <summary>A new set holding the listed trajectories, in the order given (copies).</summary>
    public NBodyTrajectories Subset(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        int size = Steps * StateSize;
        var data = new float[indices.Count * size];
        for (int i = 0; i < indices.Count; i++)
        {
            int n = indices[i];
            if ((uint)n >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), n, $"Trajectory index outside [0, {Count}).");
            }
            Data.AsSpan(n * size, size).CopyTo(data.AsSpan(i * size));
        }
        return new NBodyTrajectories(data, indices.Count, Steps, StateSize);
    }
}

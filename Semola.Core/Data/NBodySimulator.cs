namespace Semola.Core.Data;

/// <summary>
/// Newtonian point masses in the plane with G = 1 and no softening. A state is laid out per body as
/// (q_x, q_y, p_x, p_y) with momentum p = m v, so (q1, p1, q2, p2, ...) with every entry an (x, y) pair.
/// Hamilton's equations: dq_i/dt = p_i / m_i, dp_i/dt = sum_{j != i} m_i m_j (q_j - q_i) / |q_j - q_i|^3.
/// </summary>
public static class NBodySimulator
{
    /// <summary>Writes dy/dt for the state <paramref name="y"/> of bodies with the given masses.</summary>
    public static void Derivative(IReadOnlyList<double> masses, ReadOnlySpan<double> y, Span<double> dydt)
    {
        ArgumentNullException.ThrowIfNull(masses);
        int bodies = masses.Count;
        for (int i = 0; i < bodies; i++)
        {
            dydt[4 * i] = y[4 * i + 2] / masses[i];
            dydt[4 * i + 1] = y[4 * i + 3] / masses[i];
            dydt[4 * i + 2] = 0;
            dydt[4 * i + 3] = 0;
        }
        for (int i = 0; i < bodies; i++)
        {
            for (int j = i + 1; j < bodies; j++)
            {
                double dx = y[4 * j] - y[4 * i], dy = y[4 * j + 1] - y[4 * i + 1];
                double r2 = dx * dx + dy * dy;
                double s = masses[i] * masses[j] / (r2 * Math.Sqrt(r2));
                dydt[4 * i + 2] += s * dx;
                dydt[4 * i + 3] += s * dy;
                dydt[4 * j + 2] -= s * dx;
                dydt[4 * j + 3] -= s * dy;
            }
        }
    }

    /// <summary>Total energy H = sum |p_i|^2 / (2 m_i) - sum_{i&lt;j} m_i m_j / |q_i - q_j|.</summary>
    public static double Energy(IReadOnlyList<double> masses, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(masses);
        double e = 0;
        for (int i = 0; i < masses.Count; i++)
        {
            e += (y[4 * i + 2] * y[4 * i + 2] + y[4 * i + 3] * y[4 * i + 3]) / (2 * masses[i]);
            for (int j = i + 1; j < masses.Count; j++)
            {
                double dx = y[4 * j] - y[4 * i], dy = y[4 * j + 1] - y[4 * i + 1];
                e -= masses[i] * masses[j] / Math.Sqrt(dx * dx + dy * dy);
            }
        }
        return e;
    }

    /// <summary>Total angular momentum about the origin, sum_i (q_x p_y - q_y p_x).</summary>
    public static double AngularMomentum(int bodies, ReadOnlySpan<double> y)
    {
        double l = 0;
        for (int i = 0; i < bodies; i++)
        {
            l += y[4 * i] * y[4 * i + 3] - y[4 * i + 1] * y[4 * i + 2];
        }
        return l;
    }

    /// <summary>
    /// Integrates from <paramref name="initial"/> and returns the states at t = 0, dt, ..., (steps - 1) dt,
    /// [steps][4 * bodies], with Dormand-Prince 5(4) at the given tolerances.
    /// </summary>
    public static double[][] Simulate(IReadOnlyList<double> masses, ReadOnlySpan<double> initial, int steps, double dt, double relTol = 1e-10, double absTol = 1e-12)
    {
        ArgumentNullException.ThrowIfNull(masses);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (initial.Length != 4 * masses.Count)
        {
            throw new ArgumentException($"N-body: {masses.Count} bodies need a state of {4 * masses.Count} values, got {initial.Length}.", nameof(initial));
        }
        if (!(dt > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(dt), dt, "The time step must be positive.");
        }
        var times = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            times[k] = k * dt;
        }
        return NBodyIntegrator.Integrate((_, y, d) => Derivative(masses, y, d), initial, times, relTol, absTol);
    }
}

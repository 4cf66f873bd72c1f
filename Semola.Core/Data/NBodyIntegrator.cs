namespace Semola.Core.Data;

/// <summary>
/// Adaptive explicit Runge-Kutta integration with the Dormand-Prince 5(4) pair (Dormand and Prince 1980;
/// the 5th-order solution is propagated, the embedded 4th-order one estimates the error, and the last
/// stage is reused as the first of the next step). Steps are shortened so that every requested output
/// time is hit exactly, so no interpolation is needed.
/// </summary>
public static class NBodyIntegrator
{
    /// <summary>The right-hand side dy/dt = f(t, y), written into <c>dydt</c>.</summary>
    public delegate void Derivative(double t, ReadOnlySpan<double> y, Span<double> dydt);

    private const double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private const double A21 = 1.0 / 5;
    private const double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private const double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private const double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561, A54 = -212.0 / 729;
    private const double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247, A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private const double B1 = 35.0 / 384, B3 = 500.0 / 1113, B4 = 125.0 / 192, B5 = -2187.0 / 6784, B6 = 11.0 / 84;

    // Error weights: 5th-order minus embedded 4th-order coefficients.
    private const double E1 = 35.0 / 384 - 5179.0 / 57600, E3 = 500.0 / 1113 - 7571.0 / 16695, E4 = 125.0 / 192 - 393.0 / 640;
    private const double E5 = -2187.0 / 6784 + 92097.0 / 339200, E6 = 11.0 / 84 - 187.0 / 2100, E7 = -1.0 / 40;

    /// <summary>
    /// Integrates from <paramref name="y0"/> at time 0 and returns the state at each of <paramref name="times"/>
    /// (non-decreasing, non-negative), [times.Length][y0.Length].
    /// </summary>
    /// <param name="f">The right-hand side.</param>
    /// <param name="y0">The initial state.</param>
    /// <param name="times">Output times.</param>
    /// <param name="relTol">Relative tolerance per component.</param>
    /// <param name="absTol">Absolute tolerance per component.</param>
    /// <param name="maxSteps">Attempted steps allowed before giving up.</param>
    /// <exception cref="InvalidOperationException">The step size underflowed or too many steps were needed (e.g. a close encounter).</exception>
    public static double[][] Integrate(Derivative f, ReadOnlySpan<double> y0, IReadOnlyList<double> times, double relTol = 1e-10, double absTol = 1e-12, int maxSteps = 1_000_000)
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(times);
        if (!(relTol > 0) || !(absTol > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(relTol), "Tolerances must be positive.");
        }
        int n = y0.Length;
        var y = y0.ToArray();
        var k1 = new double[n];
        var k2 = new double[n];
        var k3 = new double[n];
        var k4 = new double[n];
        var k5 = new double[n];
        var k6 = new double[n];
        var k7 = new double[n];
        var tmp = new double[n];
        var yNew = new double[n];
        var output = new double[times.Count][];
        double t = 0;
        f(t, y, k1);
        double h = InitialStep(y, k1, relTol, absTol, times.Count > 0 ? times[^1] : 1.0);
        int attempts = 0;
        for (int o = 0; o < times.Count; o++)
        {
            double target = times[o];
            if (!(target >= t))
            {
                throw new ArgumentException($"Output times must be non-decreasing and non-negative; got {target} after {t}.", nameof(times));
            }
            while (t < target)
            {
                if (++attempts > maxSteps)
                {
                    throw new InvalidOperationException($"Dormand-Prince: more than {maxSteps} steps before t = {target}.");
                }
                bool last = t + h >= target;
                double step = last ? target - t : h;
                Stage(y, tmp, step, k1, A21);
                f(t + C2 * step, tmp, k2);
                Stage(y, tmp, step, k1, A31, k2, A32);
                f(t + C3 * step, tmp, k3);
                Stage(y, tmp, step, k1, A41, k2, A42, k3, A43);
                f(t + C4 * step, tmp, k4);
                Stage(y, tmp, step, k1, A51, k2, A52, k3, A53, k4, A54);
                f(t + C5 * step, tmp, k5);
                for (int i = 0; i < n; i++)
                {
                    tmp[i] = y[i] + step * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
                }
                f(t + step, tmp, k6);
                for (int i = 0; i < n; i++)
                {
                    yNew[i] = y[i] + step * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
                }
                f(t + step, yNew, k7);
                double err = 0;
                for (int i = 0; i < n; i++)
                {
                    double e = step * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
                    double scale = absTol + relTol * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i]));
                    err += e / scale * (e / scale);
                }
                err = Math.Sqrt(err / n);
                if (!double.IsFinite(err))
                {
                    throw new InvalidOperationException($"Dormand-Prince: the state became non-finite near t = {t}.");
                }
                double factor = err == 0 ? 5.0 : Math.Clamp(0.9 * Math.Pow(err, -0.2), 0.2, 5.0);
                if (err <= 1.0)
                {
                    t = last ? target : t + step;
                    (y, yNew) = (yNew, y);
                    (k1, k7) = (k7, k1);
                    // A step shortened to land on an output time does not shrink the next one.
                    h = last ? Math.Max(h, step * factor) : step * factor;
                }
                else
                {
                    h = step * Math.Max(factor, 0.1);
                }
                if (h < 1e-14 * Math.Max(1.0, Math.Abs(t)))
                {
                    throw new InvalidOperationException($"Dormand-Prince: the step size underflowed at t = {t}.");
                }
            }
            output[o] = (double[])y.Clone();
        }
        return output;
    }

    private static double InitialStep(double[] y, double[] dydt, double relTol, double absTol, double span)
    {
        // A conservative first guess (Hairer, Norsett and Wanner's h = 0.01 * ||y|| / ||y'||); the controller adapts it.
        double d0 = 0, d1 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double scale = absTol + relTol * Math.Abs(y[i]);
            d0 += y[i] / scale * (y[i] / scale);
            d1 += dydt[i] / scale * (dydt[i] / scale);
        }
        double h = d0 < 1e-10 || d1 < 1e-10 ? 1e-6 : 0.01 * Math.Sqrt(d0 / d1);
        return Math.Min(h, Math.Max(span, 1e-6));
    }

    private static void Stage(double[] y, double[] into, double h, double[] ka, double a)
    {
        for (int i = 0; i < y.Length; i++)
        {
            into[i] = y[i] + h * (a * ka[i]);
        }
    }

    private static void Stage(double[] y, double[] into, double h, double[] ka, double a, double[] kb, double b)
    {
        for (int i = 0; i < y.Length; i++)
        {
            into[i] = y[i] + h * (a * ka[i] + b * kb[i]);
        }
    }

    private static void Stage(double[] y, double[] into, double h, double[] ka, double a, double[] kb, double b, double[] kc, double c)
    {
        for (int i = 0; i < y.Length; i++)
        {
            into[i] = y[i] + h * (a * ka[i] + b * kb[i] + c * kc[i]);
        }
    }

    private static void Stage(double[] y, double[] into, double h, double[] ka, double a, double[] kb, double b, double[] kc, double c, double[] kd, double d)
    {
        for (int i = 0; i < y.Length; i++)
        {
            into[i] = y[i] + h * (a * ka[i] + b * kb[i] + c * kc[i] + d * kd[i]);
        }
    }
}

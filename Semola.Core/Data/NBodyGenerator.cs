namespace Semola.Core.Data;

/// <summary>
/// Draws N-body initial states and integrates them into trajectories (LieGAN's 2-body set and a 3-body
/// variant). All masses are 1, G = 1 and the centre of mass stays at the origin with zero momentum.
/// <list type="bullet">
/// <item>2 bodies: q1 = r (cos a, sin a), q2 = -q1. The bodies are 2r apart, so the attraction is
/// 1 / (2r)^2 = 1 / (4 r^2); a circular orbit of radius r about the centre needs v^2 / r = 1 / (4 r^2),
/// i.e. v = sqrt(1 / (4 r)). p1 = v (-sin a, cos a) + noise (counter-clockwise), p2 = -p1.</item>
/// <item>3 bodies: on an equilateral triangle of circumradius r (angles a, a + 120, a + 240 degrees), side
/// r sqrt(3); the two pulls of 1 / (3 r^2) add to 1 / (sqrt(3) r^2) towards the centre, so the rigid
/// rotation (Lagrange's solution) has v = sqrt(1 / (sqrt(3) r)). Noise is added per body and the mean
/// momentum removed.</item>
/// </list>
/// The noise is isotropic Gaussian with standard deviation <see cref="NBodyGeneratorOptions.VelocityNoise"/>
/// times v, so the distribution of trajectories is invariant under rotations about the origin.
/// </summary>
public static class NBodyGenerator
{
    /// <summary>Circular speed of each of two unit masses at distance r from their centre of mass (G = 1).</summary>
    public static double TwoBodyCircularSpeed(double r) => Math.Sqrt(1.0 / (4.0 * r));

    /// <summary>Speed of each of three unit masses on a rigidly rotating equilateral triangle of circumradius r.</summary>
    public static double ThreeBodyCircularSpeed(double r) => Math.Sqrt(1.0 / (Math.Sqrt(3.0) * r));

    /// <summary>
    /// The initial state for radius <paramref name="r"/> and body 1's angle <paramref name="angle"/> (radians),
    /// with the given per-body velocity noise (in units of the circular speed; [bodies][2], may be null).
    /// </summary>
    public static double[] InitialState(int bodies, double r, double angle, double[][]? noise = null)
    {
        if (bodies is not (2 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(bodies), bodies, "Only 2 or 3 bodies are generated.");
        }
        var y = new double[4 * bodies];
        double v = bodies == 2 ? TwoBodyCircularSpeed(r) : ThreeBodyCircularSpeed(r);
        if (bodies == 2)
        {
            double px = v * (-Math.Sin(angle) + (noise?[0][0] ?? 0));
            double py = v * (Math.Cos(angle) + (noise?[0][1] ?? 0));
            y[0] = r * Math.Cos(angle);
            y[1] = r * Math.Sin(angle);
            y[2] = px;
            y[3] = py;
            y[4] = -y[0];
            y[5] = -y[1];
            y[6] = -px;
            y[7] = -py;
            return y;
        }
        double mx = 0, my = 0;
        for (int b = 0; b < bodies; b++)
        {
            double a = angle + 2 * Math.PI * b / bodies;
            y[4 * b] = r * Math.Cos(a);
            y[4 * b + 1] = r * Math.Sin(a);
            y[4 * b + 2] = v * (-Math.Sin(a) + (noise?[b][0] ?? 0));
            y[4 * b + 3] = v * (Math.Cos(a) + (noise?[b][1] ?? 0));
            mx += y[4 * b + 2];
            my += y[4 * b + 3];
        }
        for (int b = 0; b < bodies; b++)
        {
            y[4 * b + 2] -= mx / bodies;
            y[4 * b + 3] -= my / bodies;
        }
        return y;
    }

    /// <summary>
    /// Generates <paramref name="count"/> trajectories whose body 1 starts at an angle uniform in
    /// (<paramref name="minDegrees"/>, <paramref name="maxDegrees"/>]. Deterministic in the seed.
    /// </summary>
    public static NBodyTrajectories Generate(NBodyGeneratorOptions options, int count, double minDegrees, double maxDegrees, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(maxDegrees > minDegrees))
        {
            throw new ArgumentException($"N-body: the angle range ({minDegrees}, {maxDegrees}] is empty.");
        }
        var rng = new Random(seed);
        int d = 4 * options.Bodies;
        var masses = Enumerable.Repeat(1.0, options.Bodies).ToArray();
        var data = new float[count * options.Steps * d];
        var draws = new (double R, double Angle, double[][] Noise)[count];
        for (int n = 0; n < count; n++)
        {
            double r = options.MinRadius + (options.MaxRadius - options.MinRadius) * rng.NextDouble();
            double deg = maxDegrees - (maxDegrees - minDegrees) * rng.NextDouble(); // (min, max]
            var noise = new double[options.Bodies][];
            for (int b = 0; b < options.Bodies; b++)
            {
                noise[b] = [options.VelocityNoise * Gaussian(rng), options.VelocityNoise * Gaussian(rng)];
            }
            draws[n] = (r, deg * Math.PI / 180.0, noise);
        }
        Parallel.For(0, count, n =>
        {
            var y0 = InitialState(options.Bodies, draws[n].R, draws[n].Angle, draws[n].Noise);
            var states = NBodySimulator.Simulate(masses, y0, options.Steps, options.Dt, options.RelTol, options.AbsTol);
            int o = n * options.Steps * d;
            for (int t = 0; t < options.Steps; t++)
            {
                for (int c = 0; c < d; c++)
                {
                    data[o + t * d + c] = (float)states[t][c];
                }
            }
        });
        return new NBodyTrajectories(data, count, options.Steps, d);
    }

    /// <summary>
    /// The train and test sets of a variant: <c>ood</c> draws train trajectories with body 1's initial angle in
    /// (-180, 0.6] degrees and test ones in (0.6, 180]; <c>id</c> draws both over the full turn. The counts are
    /// exact, so this equals splitting a larger set by angle (ood) or at random (id).
    /// </summary>
    public static NBodySplit Build(NBodyGeneratorOptions options, RotationVariant variant, int trainCount, int testCount, int seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        int trainSeed = unchecked(seed * 7919 + 1), testSeed = unchecked(seed * 7919 + 2);
        if (variant == RotationVariant.Ood)
        {
            return new NBodySplit(
                Generate(options, trainCount, NBodySplit.OodTrainMinDegrees, NBodySplit.OodTrainMaxDegrees, trainSeed),
                Generate(options, testCount, NBodySplit.OodTrainMaxDegrees, 180.0, testSeed));
        }
        return new NBodySplit(Generate(options, trainCount, -180.0, 180.0, trainSeed), Generate(options, testCount, -180.0, 180.0, testSeed));
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

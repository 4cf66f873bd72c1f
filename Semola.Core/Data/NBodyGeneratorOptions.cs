namespace Semola.Core.Data;

/// <summary>
/// How <see cref="NBodyGenerator"/> draws and integrates trajectories. The defaults reproduce LieGAN's
/// 2-body set: unit masses, G = 1, near-circular orbits of radius r ~ U[1.5, 3], 20 states dt = 20/49 apart.
/// </summary>
public sealed record NBodyGeneratorOptions
{
    /// <summary>Number of bodies: 2 (body 2 = -body 1) or 3 (an equilateral triangle).</summary>
    public int Bodies { get; init; } = 2;

    /// <summary>States per trajectory (t = 0, dt, ..., (Steps - 1) dt).</summary>
    public int Steps { get; init; } = 20;

    /// <summary>Time between states.</summary>
    public double Dt { get; init; } = 20.0 / 49.0;

    /// <summary>The longest trajectory (steps x dt) the simulator integrates.</summary>
    public const double MaxDuration = 1e4;

    /// <summary>Smallest orbit radius (distance of each body from the centre of mass).</summary>
    public double MinRadius { get; init; } = 1.5;

    /// <summary>Largest orbit radius.</summary>
    public double MaxRadius { get; init; } = 3.0;

    /// <summary>Standard deviation of the isotropic Gaussian velocity noise, relative to the circular speed.</summary>
    public double VelocityNoise { get; init; } = 0.05;

    /// <summary>Relative tolerance of the integrator.</summary>
    public double RelTol { get; init; } = 1e-10;

    /// <summary>Absolute tolerance of the integrator.</summary>
    public double AbsTol { get; init; } = 1e-12;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Bodies is not (2 or 3))
        {
            throw new ArgumentException($"N-body: only 2 or 3 bodies are generated, got {Bodies}.");
        }
        if (Steps < 2 || !(Dt > 0) || !double.IsFinite(Dt))
        {
            throw new ArgumentException($"N-body: steps ({Steps}) must be at least 2 and dt ({Dt}) positive.");
        }
        if (Steps * Dt > MaxDuration)
        {
            throw new ArgumentException($"N-body: a trajectory of {Steps} steps of dt {Dt} lasts longer than the simulator integrates ({MaxDuration} time units; an orbit of the default data takes about 10-40).");
        }
        if (!(MinRadius > 0) || !(MaxRadius >= MinRadius) || !double.IsFinite(MaxRadius))
        {
            throw new ArgumentException($"N-body: the radius range [{MinRadius}, {MaxRadius}] must be positive and ordered.");
        }
        if (!(VelocityNoise >= 0) || !(RelTol > 0) || !(AbsTol > 0) || RelTol > 1e-9)
        {
            throw new ArgumentException("N-body: the velocity noise must be non-negative and the tolerances positive, with a relative tolerance of 1e-9 or tighter.");
        }
    }
}

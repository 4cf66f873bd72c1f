namespace Semola.Core.Method;

/// <summary>
/// Weights and settings of the SEMoLA objective (see docs/method.md). The defaults are the recipe
/// that recovered the true symmetry on every data set tried so far; each is an option.
/// </summary>
public sealed record SemolaOptions
{
    /// <summary>Number of learned generators k.</summary>
    public int Generators { get; init; } = 1;

    /// <summary>Weight of the equivariance loss d(f(g.x), rho_Y(g) f(x)).</summary>
    public float LambdaEq { get; init; } = 1f;

    /// <summary>Weight of the distribution (discriminator) term; 0 switches the discriminator off.</summary>
    public float LambdaDist { get; init; } = 1f;

    /// <summary>Weight of the extent reward sum_i min(a_i, a_max).</summary>
    public float LambdaExt { get; init; } = 1f;

    /// <summary>
    /// A fixed cap of the extent reward; null (the default) uses the data-free rule a_max,i = pi / ||Lhat_i||_2,
    /// recomputed every step from the learned direction (<see cref="Lie.LieAugmenter.SpectralCaps"/>).
    /// </summary>
    public float? ExtentCap { get; init; }

    /// <summary>The rule that caps the extent reward when <see cref="ExtentCap"/> is not set.</summary>
    public ExtentCapRule CapRule { get; init; } = ExtentCapRule.Spectral;

    /// <summary>Weight of the basis regulariser (orthogonality + Beta * sparsity).</summary>
    public float LambdaBasis { get; init; } = 0.01f;

    /// <summary>Weight of the L1 sparsity inside the basis regulariser.</summary>
    public float Beta { get; init; } = 0.1f;

    /// <summary>When set, the discriminator judges elements sampled with this fixed extent (a probe) instead of the learned one.</summary>
    public float? ProbeExtent { get; init; }

    /// <summary>Initial half-width a_i of every generator.</summary>
    public float InitialExtent { get; init; } = 1f;

    /// <summary>Learning rate of the augmenter (directions and extents).</summary>
    public float AugmenterLearningRate { get; init; } = 1e-2f;

    /// <summary>Learning rate of the discriminator.</summary>
    public float DiscriminatorLearningRate { get; init; } = 2e-4f;

    /// <summary>Hidden width of the discriminator MLP (two hidden layers).</summary>
    public int DiscriminatorWidth { get; init; } = 256;

    /// <summary>Steps during which only the model trains (the augmenter and discriminator wait).</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (Generators < 1)
        {
            throw new ArgumentException($"SEMoLA: the number of generators must be at least 1, got {Generators}.");
        }
        foreach (var (name, v) in new[] { ("lambda-eq", LambdaEq), ("lambda-dist", LambdaDist), ("lambda-ext", LambdaExt), ("lambda-basis", LambdaBasis), ("beta", Beta) })
        {
            if (!(v >= 0f) || float.IsInfinity(v))
            {
                throw new ArgumentException($"SEMoLA: {name} must be a finite non-negative number, got {v}.");
            }
        }
        if (ExtentCap is float cap && !(cap > 0f))
        {
            throw new ArgumentException($"SEMoLA: the extent cap must be positive, got {cap}.");
        }
        if (!(InitialExtent > 0f) || !(AugmenterLearningRate > 0f) || !(DiscriminatorLearningRate > 0f))
        {
            throw new ArgumentException("SEMoLA: the initial extent and the learning rates must be positive.");
        }
        if (ProbeExtent is float p && !(p > 0f))
        {
            throw new ArgumentException($"SEMoLA: the probe extent must be positive, got {p}.");
        }
        if (DiscriminatorWidth < 1 || WarmupSteps < 0)
        {
            throw new ArgumentException("SEMoLA: the discriminator width must be positive and the warm-up non-negative.");
        }
    }
}

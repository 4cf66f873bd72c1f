namespace Semola.Core.Training;

/// <summary>
/// Settings of the learned-generator baselines Augerino+ and LieGAN (docs/nbody.md). Their generator is a
/// unit-Frobenius-norm direction Lhat in the same search space as SEMoLA's, with coefficients z ~ N(0, sigma^2).
/// </summary>
public sealed record NBodyBaselineOptions
{
    /// <summary>Fixed standard deviation of the Gaussian coefficients z.</summary>
    public float Sigma { get; init; } = 1f;

    /// <summary>Weight lambda of the penalty |mean cos(g.x, x)| that keeps the generator away from the identity.</summary>
    public float LambdaCos { get; init; } = 0.01f;

    /// <summary>Weight mu of the L1 norm of the generator.</summary>
    public float Mu { get; init; } = 1e-3f;

    /// <summary>Weight eta of the channel correlation sum_{i&lt;j} |&lt;Lhat_i, Lhat_j&gt;| (zero for one generator).</summary>
    public float Eta { get; init; } = 0.1f;

    /// <summary>Adam learning rate of the generator (betas 0.5, 0.999).</summary>
    public float GeneratorLearningRate { get; init; } = 1e-3f;

    /// <summary>Adam learning rate of LieGAN's discriminator (betas 0.5, 0.999).</summary>
    public float DiscriminatorLearningRate { get; init; } = 2e-4f;

    /// <summary>Hidden width of LieGAN's discriminator (two hidden layers, LeakyReLU 0.2).</summary>
    public int DiscriminatorWidth { get; init; } = 512;

    /// <summary>LieGAN's discovery epochs (generator and discriminator only), before the base model trains.</summary>
    public int DiscoveryEpochs { get; init; } = 10;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (!(Sigma > 0f) || !(GeneratorLearningRate > 0f) || !(DiscriminatorLearningRate > 0f) || float.IsInfinity(Sigma))
        {
            throw new ArgumentException("Baselines: sigma and the learning rates must be positive.");
        }
        foreach (var (name, v) in new[] { ("lambda-cos", LambdaCos), ("mu", Mu), ("eta", Eta) })
        {
            if (!(v >= 0f) || float.IsInfinity(v))
            {
                throw new ArgumentException($"Baselines: {name} must be a finite non-negative number, got {v}.");
            }
        }
        if (DiscriminatorWidth < 1 || DiscoveryEpochs < 0)
        {
            throw new ArgumentException("Baselines: the discriminator width must be positive and the discovery epochs non-negative.");
        }
    }
}

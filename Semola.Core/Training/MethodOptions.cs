using Semola.Core.Lie;
using Semola.Core.Method;

namespace Semola.Core.Training;

/// <summary>The settings of every method, one record shared by every experiment (docs/method.md).</summary>
public sealed record MethodOptions
{
    /// <summary>SEMoLA's weights and settings.</summary>
    public SemolaOptions Semola { get; init; } = new();

    /// <summary>Where learned generators live, by name (<see cref="SearchSpace.Parse"/>; null: the task's default).</summary>
    public string? Space { get; init; }

    /// <summary>Augmented draws per sample for the augmentation methods (K in the paper).</summary>
    public int Copies { get; init; } = 1;

    /// <summary>Test-time averaging over this many augmented copies, mapped back with rho_Y(g)^-1 (0: predict f(x)).</summary>
    public int TestTimeCopies { get; init; }

    /// <summary>Fixed standard deviation of the Gaussian coefficients of Augerino+ and LieGAN.</summary>
    public float Sigma { get; init; } = 1f;

    /// <summary>Weight of |mean cos(g.x, x)| (Augerino+, LieGAN).</summary>
    public float LambdaCos { get; init; } = 0.01f;

    /// <summary>Weight of the generators' L1 norm (Augerino+, LieGAN).</summary>
    public float Mu { get; init; } = 1e-3f;

    /// <summary>Weight of the channel correlation sum_{i&lt;j} |&lt;Lhat_i, Lhat_j&gt;| (Augerino+, LieGAN).</summary>
    public float Eta { get; init; } = 0.1f;

    /// <summary>Adam learning rate of the learned generators of Augerino+ and LieGAN (betas 0.5, 0.999).</summary>
    public float GeneratorLearningRate { get; init; } = 1e-3f;

    /// <summary>Adam learning rate of LieGAN's discriminator.</summary>
    public float LieGanDiscriminatorLearningRate { get; init; } = 2e-4f;

    /// <summary>Hidden width of LieGAN's discriminator.</summary>
    public int LieGanDiscriminatorWidth { get; init; } = 512;

    /// <summary>LieGAN's discovery epochs (generator and discriminator only), before the model trains.</summary>
    public int DiscoveryEpochs { get; init; } = 10;

    /// <summary>Weight of Augerino's width reward (loss = task - reg * ||w||).</summary>
    public float AugerinoReward { get; init; } = 0.01f;

    /// <summary>Adam learning rate of Augerino's widths.</summary>
    public float AugerinoLearningRate { get; init; } = 1e-2f;

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        Semola.Validate();
        if (Copies < 1 || TestTimeCopies < 0)
        {
            throw new ArgumentException($"Methods: --copies must be at least 1 ({Copies}) and --tta non-negative ({TestTimeCopies}).");
        }
        if (!(Sigma > 0f) || float.IsInfinity(Sigma) || !(GeneratorLearningRate > 0f) || !(LieGanDiscriminatorLearningRate > 0f) || !(AugerinoLearningRate > 0f))
        {
            throw new ArgumentException("Methods: sigma and the learning rates must be positive.");
        }
        foreach (var (name, v) in new[] { ("lambda-cos", LambdaCos), ("mu", Mu), ("eta", Eta), ("augerino-reward", AugerinoReward) })
        {
            if (!(v >= 0f) || float.IsInfinity(v))
            {
                throw new ArgumentException($"Methods: {name} must be a finite non-negative number, got {v}.");
            }
        }
        if (LieGanDiscriminatorWidth < 1 || DiscoveryEpochs < 0)
        {
            throw new ArgumentException("Methods: the discriminator width must be positive and the discovery epochs non-negative.");
        }
    }
}

namespace Semola.Core.Training;

/// <summary>How an N-body predictor is trained (docs/nbody.md).</summary>
public enum NBodyMethod
{
    /// <summary>The base MLP on the data as it is.</summary>
    Base,

    /// <summary>The base MLP on data augmented with the known rotation (full range, new draw each step).</summary>
    GtAug,

    /// <summary>The base MLP with a LieAugmenter that discovers the symmetry while training (SEMoLA).</summary>
    Semola,

    /// <summary>Augerino+ (LieGAN's variant): a learned generator with Gaussian coefficients, task loss on augmented data only.</summary>
    AugerinoPlus,

    /// <summary>LieGAN: a generator trained against a discriminator, then used as a fixed augmentation for the base MLP.</summary>
    LieGan,

    /// <summary>An exactly SO(2)-equivariant model: canonicalise by body 1's angle, MLP, rotate back.</summary>
    Equivariant,
}

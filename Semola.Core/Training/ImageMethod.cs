namespace Semola.Core.Training;

/// <summary>How an image classifier is trained.</summary>
public enum ImageMethod
{
    /// <summary>The base model on the data as it is.</summary>
    Base,

    /// <summary>The base model on data augmented with the known symmetry (full range, new draw each step).</summary>
    GtAug,

    /// <summary>The base model with a LieAugmenter that discovers the symmetry while training (SEMoLA).</summary>
    Semola,
}

namespace Semola.Core.Training;

/// <summary>What one epoch did: mean loss terms, evaluation metrics and the augmenter's state.</summary>
public sealed record EpochRecord
{
    /// <summary>1-based epoch number.</summary>
    public int Epoch { get; init; }

    /// <summary>Mean of each loss term over the epoch's steps.</summary>
    public IReadOnlyDictionary<string, double> Losses { get; init; } = new Dictionary<string, double>();

    /// <summary>Test accuracy of f(x).</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Sign-invariant cosine of the best-matching learned generator with the ground truth (NaN without an augmenter).</summary>
    public double GeneratorCosine { get; init; } = double.NaN;

    /// <summary>Subspace similarity of the learned span with the ground-truth span (NaN without an augmenter).</summary>
    public double SubspaceSimilarity { get; init; } = double.NaN;

    /// <summary>Rate at which the predicted class changes under random ground-truth transformations of the test set.</summary>
    public double InvarianceViolationRate { get; init; }

    /// <summary>Mean KL divergence between the class distributions of x and g.x on the test set.</summary>
    public double InvarianceKl { get; init; }

    /// <summary>Half-widths a_i of the learned generators.</summary>
    public IReadOnlyList<float> Extents { get; init; } = [];

    /// <summary>Wall-clock seconds of the epoch (training and evaluation).</summary>
    public double Seconds { get; init; }
}

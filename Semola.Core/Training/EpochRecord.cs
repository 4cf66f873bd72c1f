namespace Semola.Core.Training;

/// <summary>What one epoch did: mean loss terms, validation (and, after the last epoch, test) metrics, the learned generators' state.</summary>
public sealed record EpochRecord
{
    /// <summary>1-based epoch number (counting discovery epochs).</summary>
    public int Epoch { get; init; }

    /// <summary>"train", or "discovery" for a method's discovery epochs.</summary>
    public string Phase { get; init; } = "train";

    /// <summary>Mean of each loss term over the epoch's steps.</summary>
    public IReadOnlyDictionary<string, double> Losses { get; init; } = new Dictionary<string, double>();

    /// <summary>Metrics on the validation split.</summary>
    public IReadOnlyDictionary<string, double> Validation { get; init; } = new Dictionary<string, double>();

    /// <summary>Metrics on the test split (and extra test sets, prefixed with their name), after the run's last epoch only.</summary>
    public IReadOnlyDictionary<string, double>? Test { get; init; }

    /// <summary>Sign-invariant cosine of the best-matching learned generator with the ground truth (NaN without one).</summary>
    public double GeneratorCosine { get; init; } = double.NaN;

    /// <summary>Subspace similarity of the learned span with the ground-truth span (NaN without one).</summary>
    public double SubspaceSimilarity { get; init; } = double.NaN;

    /// <summary>Subspace similarity of the learned span with each of the task's reference bases ("subspace_NAME").</summary>
    public IReadOnlyDictionary<string, double> References { get; init; } = new Dictionary<string, double>();

    /// <summary>Half-widths of the method's augmentation distribution.</summary>
    public IReadOnlyList<float> Extents { get; init; } = [];

    /// <summary>Wall-clock seconds of the epoch (training and evaluation).</summary>
    public double Seconds { get; init; }
}

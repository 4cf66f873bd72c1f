namespace Semola.Core.Training;

/// <summary>What one epoch of <see cref="NBodyTrainer"/> did: mean loss terms, test metrics and the learned generators' state.</summary>
public sealed record NBodyEpochRecord
{
    /// <summary>1-based epoch number (counting LieGAN's discovery epochs).</summary>
    public int Epoch { get; init; }

    /// <summary>"train", or "discovery" for LieGAN's first phase.</summary>
    public string Phase { get; init; } = "train";

    /// <summary>Mean of each loss term over the epoch's steps.</summary>
    public IReadOnlyDictionary<string, double> Losses { get; init; } = new Dictionary<string, double>();

    /// <summary>Mean squared error of f(x) on the test windows (per coordinate).</summary>
    public double TestMse { get; init; }

    /// <summary>Mean squared error on the in-distribution test windows, when there are any besides the main test set (NaN otherwise).</summary>
    public double TestMseId { get; init; } = double.NaN;

    /// <summary>Equivariance error E ||f(g.x) - g f(x)||^2 (mean per coordinate) under random ground-truth rotations of the test inputs.</summary>
    public double EquivarianceError { get; init; }

    /// <summary>Sign-invariant cosine of the best-matching learned generator with the ground truth (NaN without one).</summary>
    public double GeneratorCosine { get; init; } = double.NaN;

    /// <summary>Subspace similarity of the learned span with the ground-truth span (NaN without one).</summary>
    public double SubspaceSimilarity { get; init; } = double.NaN;

    /// <summary>Half-widths a_i of SEMoLA's generators (empty otherwise).</summary>
    public IReadOnlyList<float> Extents { get; init; } = [];

    /// <summary>Wall-clock seconds of the epoch (training and evaluation).</summary>
    public double Seconds { get; init; }
}

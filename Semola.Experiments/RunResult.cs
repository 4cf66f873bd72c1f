namespace Semola.Experiments;

/// <summary>
/// What one results.json says, as read by <see cref="ResultsReader"/>: the run's identity, its final metrics, generators and
/// history, and, for a <c>discover</c> run, its per-generator verdicts. Missing optional fields are empty, null or NaN.
/// </summary>
public sealed record RunResult
{
    /// <summary>The results.json this was read from.</summary>
    public required string Path { get; init; }

    /// <summary>Experiment (rotmnist, nbody, ..., or discover).</summary>
    public required string Experiment { get; init; }

    /// <summary>Variant of the experiment (e.g. ood), or empty.</summary>
    public string Variant { get; init; } = string.Empty;

    /// <summary>Generator space (e.g. shared-blocks), or empty.</summary>
    public string Space { get; init; } = string.Empty;

    /// <summary>Method name.</summary>
    public required string Method { get; init; }

    /// <summary>Training fraction (1 when not recorded).</summary>
    public double Fraction { get; init; } = 1.0;

    /// <summary>Seed.</summary>
    public int Seed { get; init; }

    /// <summary>Whether the run trained all its epochs without diverging.</summary>
    public bool Finished { get; init; }

    /// <summary>Whether the run diverged.</summary>
    public bool Diverged { get; init; }

    /// <summary>Epochs trained so far and planned (0 when not recorded).</summary>
    public (int Done, int Total) Epochs { get; init; }

    /// <summary>Wall-clock seconds of the run, or NaN.</summary>
    public double WallSeconds { get; init; } = double.NaN;

    /// <summary>Final numeric metrics except the validation ones (test_*, generator_cosine, ...).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The learned generators.</summary>
    public IReadOnlyList<double[,]> Generators { get; init; } = [];

    /// <summary>The reference generator, or null.</summary>
    public double[,]? Truth { get; init; }

    /// <summary>Extent of each generator (may be shorter than <see cref="Generators"/>).</summary>
    public IReadOnlyList<double> Extents { get; init; } = [];

    /// <summary>The training history.</summary>
    public IReadOnlyList<RunEpoch> History { get; init; } = [];

    /// <summary>The options the run recorded (its <c>config</c> object): text values as they are, others as JSON text.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether this is a <c>discover</c> result (its verb says so, or it has <c>accepted</c>, <c>p_values</c> or <c>symmetry_found</c>).</summary>
    public bool IsDiscover { get; init; }

    /// <summary>discover: whether each generator was accepted (null where not recorded).</summary>
    public IReadOnlyList<bool?> Accepted { get; init; } = [];

    /// <summary>discover: the p-value of each generator's test (NaN where not recorded).</summary>
    public IReadOnlyList<double> PValues { get; init; } = [];

    /// <summary>discover: whether any continuous symmetry was found, or null.</summary>
    public bool? SymmetryFound { get; init; }

    /// <summary>discover: the bracket-closure residual(s), as found in the file (a number or a list), or empty.</summary>
    public IReadOnlyList<double> BracketClosure { get; init; } = [];
}

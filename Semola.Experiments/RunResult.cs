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

    /// <summary>discover: the bracket-closure residual(s) when the file records them as a number or a list, or empty.</summary>
    public IReadOnlyList<double> BracketClosure { get; init; } = [];

    /// <summary>discover: the bracket-closure residual of the accepted generators' span, or NaN.</summary>
    public double BracketClosureAccepted { get; init; } = double.NaN;

    /// <summary>discover: the bracket-closure residual of all candidate generators' span, or NaN.</summary>
    public double BracketClosureAll { get; init; } = double.NaN;

    /// <summary>discover: per pair of candidates (1-based), the norm of their bracket and its residual outside the span relative to it.</summary>
    public IReadOnlyList<(int I, int J, double BracketNorm, double Relative)> BracketPairs { get; init; } = [];

    /// <summary>discover: the data (a file name or synthetic:NAME), or empty.</summary>
    public string Data { get; init; } = string.Empty;

    /// <summary>discover: the input columns.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>discover: the target columns.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>discover: invariant or equivariant, or empty.</summary>
    public string TargetKind { get; init; } = string.Empty;

    /// <summary>discover: regression or classification, or empty.</summary>
    public string Task { get; init; } = string.Empty;

    /// <summary>discover: the size of each part of the rows (train, validation, held_out).</summary>
    public IReadOnlyDictionary<string, double> Rows { get; init; } = new Dictionary<string, double>();

    /// <summary>discover: the tests' significance level, or NaN.</summary>
    public double Alpha { get; init; } = double.NaN;

    /// <summary>discover: the largest loss ratio a symmetry may cause, or NaN.</summary>
    public double Tolerance { get; init; } = double.NaN;

    /// <summary>discover: per generator, whether the data's distribution was found unchanged by it (null where not recorded).</summary>
    public IReadOnlyList<bool?> DistributionSymmetric { get; init; } = [];

    /// <summary>discover: per generator, the distribution test's p-value.</summary>
    public IReadOnlyList<double> DistributionPValues { get; init; } = [];

    /// <summary>discover: per generator, the details of its tests.</summary>
    public IReadOnlyList<DiscoverTest> Tests { get; init; } = [];

    /// <summary>discover: subspace similarity of the accepted span with the data's own reference algebras, by name.</summary>
    public IReadOnlyDictionary<string, double> SubspaceSimilarity { get; init; } = new Dictionary<string, double>();

    /// <summary>discover: subspace similarity of the accepted span with known algebras of the component's size, by name.</summary>
    public IReadOnlyDictionary<string, double> SimilarityToKnown { get; init; } = new Dictionary<string, double>();

    /// <summary>discover: the smallest values of the reference model's symmetry spectrum.</summary>
    public IReadOnlyList<double> SpectrumValues { get; init; } = [];

    /// <summary>discover: how many spectrum directions lie below its gap (symmetry directions), or null.</summary>
    public int? SpectrumCount { get; init; }

    /// <summary>discover: subspace similarity of the spectrum's directions with the accepted span, or NaN.</summary>
    public double SpectrumAgreement { get; init; } = double.NaN;

    /// <summary>discover: held-out and validation errors of the reference model (trained without augmentation).</summary>
    public IReadOnlyDictionary<string, double> ReferenceModel { get; init; } = new Dictionary<string, double>();

    /// <summary>discover: held-out and validation errors of the model trained with the learned symmetry.</summary>
    public IReadOnlyDictionary<string, double> SemolaModel { get; init; } = new Dictionary<string, double>();

    /// <summary>discover --calibrate: per kind of random direction (inside, outside the true algebra), its numbers (directions, accepted, acceptance_rate).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Calibration { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, double>>();
}

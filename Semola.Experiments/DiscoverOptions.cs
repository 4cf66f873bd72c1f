using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>discover</c> verb: symmetry discovery on a user's own table.</summary>
[Verb("discover", HelpText = "Discover the continuous linear symmetries of your own data (a .csv with a header or an .npy [N, D] array): trains SEMoLA with an MLP, then tests every learned generator on a held-out split and writes results.json and summary.md.")]
public sealed class DiscoverOptions
{
    /// <summary>Data file.</summary>
    [Option("data", Required = true, HelpText = "A .csv file with a header row or an .npy array [N, D] (either may be .gz), or synthetic:so3|lorentz|so2|none for generated data with a known answer.")]
    public string Data { get; set; } = string.Empty;

    /// <summary>Input columns.</summary>
    [Option("inputs", HelpText = "Comma-separated input columns: names (CSV header) or 0-based indices. Required for files.")]
    public string? Inputs { get; set; }

    /// <summary>Target columns.</summary>
    [Option("targets", HelpText = "Comma-separated target columns (one column for classification). Required for files.")]
    public string? Targets { get; set; }

    /// <summary>Component size.</summary>
    [Option("component", HelpText = "C: the group acts alike on each consecutive block of C input columns (and of C target columns for equivariant targets); generators are C x C. Required for files.")]
    public int? Component { get; set; }

    /// <summary>Target kind.</summary>
    [Option("target-kind", Default = "invariant", HelpText = "invariant (the target does not change) or equivariant (the target's blocks of C transform like the inputs).")]
    public string TargetKind { get; set; } = "invariant";

    /// <summary>Task.</summary>
    [Option("task", Default = "regression", HelpText = "regression or classification (one target column of class labels).")]
    public string Task { get; set; } = "regression";

    /// <summary>Generators.</summary>
    [Option("generators", HelpText = "K learned generators (at most C*C). Default: the number the symmetry spectrum of a model trained without augmentation counts (at least 1).")]
    public int? Generators { get; set; }

    /// <summary>Seed.</summary>
    [Option("seed", Default = 1, HelpText = "Random seed (split, weights, batches, sampling, tests).")]
    public int Seed { get; set; } = 1;

    /// <summary>Device.</summary>
    [Option("device", Default = "cpu", HelpText = "cpu, cuda[:i], opencl[:i], ilgpu-cpu or auto (small MLPs run best on the CPU).")]
    public string Device { get; set; } = "cpu";

    /// <summary>Output directory.</summary>
    [Option("out", Default = "runs/discover", HelpText = "Directory for results.json, summary.md, config.json, generators.svg and checkpoints.")]
    public string Out { get; set; } = "runs/discover";

    /// <summary>Significance level.</summary>
    [Option("alpha", Default = 0.01, HelpText = "Level of the per-generator tests: a generator is accepted unless its target test rejects at this level.")]
    public double Alpha { get; set; } = 0.01;

    /// <summary>Tolerance of the target test.</summary>
    [Option("tolerance", Default = 2.0, HelpText = "Target test: a symmetry may raise the reference model's held-out loss by at most this factor at the test magnitude.")]
    public double Tolerance { get; set; } = 2.0;

    /// <summary>Reference basis.</summary>
    [Option("compare", HelpText = "Also report the subspace similarity with a named basis: so2, so3, se3, so13, scale or translation.")]
    public string? Compare { get; set; }

    /// <summary>Held-out share.</summary>
    [Option("holdout", Default = 0.2, HelpText = "Share of the rows held out for the tests (the rest trains; 10% of it validates).")]
    public double Holdout { get; set; } = 0.2;

    /// <summary>Epochs.</summary>
    [Option("epochs", Default = 100, HelpText = "Training epochs of SEMoLA.")]
    public int Epochs { get; set; } = 100;

    /// <summary>Reference model epochs.</summary>
    [Option("reference-epochs", Default = 100, HelpText = "Training epochs of the reference model (no augmentation), which the tests and the symmetry spectrum use: it should fit the data closely.")]
    public int ReferenceEpochs { get; set; } = 100;

    /// <summary>Batch size.</summary>
    [Option("batch-size", Default = 128, HelpText = "Mini-batch size.")]
    public int BatchSize { get; set; } = 128;

    /// <summary>Model learning rate.</summary>
    [Option("lr", Default = 1e-3, HelpText = "Adam learning rate of the MLP (cosine schedule).")]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Hidden width.</summary>
    [Option("hidden", Default = 256, HelpText = "Width of the MLP's two hidden layers.")]
    public int Hidden { get; set; } = 256;

    /// <summary>Activation.</summary>
    [Option("activation", Default = "tanh", HelpText = "Hidden activation of the MLP: tanh (smooth input gradients for the symmetry spectrum) or relu.")]
    public string Activation { get; set; } = "tanh";

    /// <summary>Rows of generated data.</summary>
    [Option("rows", Default = 20000, HelpText = "Rows of generated data (synthetic:NAME only).")]
    public int Rows { get; set; } = 20000;

    /// <summary>lambda_eq.</summary>
    [Option("lambda-eq", Default = 1.0, HelpText = "SEMoLA: weight of the equivariance loss.")]
    public double LambdaEq { get; set; } = 1.0;

    /// <summary>lambda_dist.</summary>
    [Option("lambda-dist", Default = 0.0, HelpText = "SEMoLA: weight of the discriminator term (0, the default: predictive terms only; a discriminator holds back symmetries of the target that are not symmetries of the data distribution, such as Lorentz boosts).")]
    public double LambdaDist { get; set; }

    /// <summary>lambda_ext.</summary>
    [Option("lambda-ext", Default = 1.0, HelpText = "SEMoLA: weight of the extent reward.")]
    public double LambdaExt { get; set; } = 1.0;

    /// <summary>lambda_basis.</summary>
    [Option("lambda-basis", Default = 0.01, HelpText = "SEMoLA: weight of the orthogonality (+ beta sparsity) regulariser.")]
    public double LambdaBasis { get; set; } = 0.01;

    /// <summary>beta.</summary>
    [Option("beta", Default = 0.0, HelpText = "SEMoLA: weight of the L1 sparsity inside the basis regulariser.")]
    public double Beta { get; set; }

    /// <summary>Augmenter learning rate.</summary>
    [Option("aug-lr", Default = 1e-2, HelpText = "SEMoLA: Adam learning rate of the augmenter.")]
    public double AugLr { get; set; } = 1e-2;

    /// <summary>Cap rule.</summary>
    [Option("cap", Default = "hybrid", HelpText = "SEMoLA's extent cap: hybrid (half-period for compact directions, median relative displacement 0.5 for the rest) or spectral (pi / ||L||_2).")]
    public string Cap { get; set; } = "hybrid";

    /// <summary>Calibration directions.</summary>
    [Option("calibrate", Default = 0, HelpText = "Generated data only: also test N random directions inside the true algebra and N outside it, and report the target test's false-negative and false-positive rates.")]
    public int Calibrate { get; set; }

    /// <summary>Resume.</summary>
    [Option("resume", Default = false, HelpText = "Continue the run in --out from its latest checkpoints (only --epochs and --device may change).")]
    public bool Resume { get; set; }

    /// <summary>Overwrite.</summary>
    [Option("overwrite", Default = false, HelpText = "Start afresh in an --out that holds another run, deleting its checkpoints and results.")]
    public bool Overwrite { get; set; }

    /// <summary>Verbose.</summary>
    [Option("verbose", Default = false, HelpText = "Print the stack trace of an unexpected error.")]
    public bool Verbose { get; set; }
}

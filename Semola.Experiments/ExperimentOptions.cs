using CommandLine;

namespace Semola.Experiments;

/// <summary>
/// The options every experiment verb shares, with the same names and meanings everywhere (docs/method.md). Options
/// whose default differs between experiments are nullable here and filled in by the verb (see
/// <see cref="ApplyDefaults"/>); the effective values are what results.json and the checkpoints record.
/// </summary>
public abstract class ExperimentOptions
{
    /// <summary>Training method.</summary>
    [Option("method", Default = "semola", HelpText = "semola, base, gt-aug, augerino, augerino-plus, liegan or equivariant (gt-aug and equivariant are oracle references built from the known symmetry).")]
    public string Method { get; set; } = "semola";

    /// <summary>Seed.</summary>
    [Option("seed", Default = 1, HelpText = "Random seed (data, initial weights, batch order, sampling).")]
    public int Seed { get; set; } = 1;

    /// <summary>Training epochs.</summary>
    [Option("epochs", HelpText = "Training epochs of the model (liegan adds --discovery-epochs before them). Default: rotmnist 4, crc 8, nbody 20.")]
    public int? Epochs { get; set; }

    /// <summary>Batch size.</summary>
    [Option("batch-size", Default = 64, HelpText = "Mini-batch size.")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Model learning rate.</summary>
    [Option("lr", Default = 1e-3, HelpText = "Adam learning rate of the model.")]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Learning-rate schedule.</summary>
    [Option("lr-schedule", HelpText = "constant, or cosine (anneal the model's and the learned generators' rates to 0 over the training epochs). Default: rotmnist constant, nbody cosine.")]
    public string? LrSchedule { get; set; }

    /// <summary>Device.</summary>
    [Option("device", HelpText = "auto, cpu, cuda[:i], opencl[:i] or ilgpu-cpu. Default: rotmnist auto, nbody cpu (small MLPs run best there).")]
    public string? Device { get; set; }

    /// <summary>Bit-reproducible device runs.</summary>
    [Option("deterministic", Default = false, HelpText = "On a GPU device: avoid float atomics (grid-sample image gradient, index add) so a run reproduces bit for bit, at some cost in speed. CPU runs are always deterministic.")]
    public bool Deterministic { get; set; }

    /// <summary>Output directory.</summary>
    [Option("out", HelpText = "Directory for results.json, config.json (the effective options, for --config), epochs.csv, generators.svg and checkpoints (one run owns it). Default: runs/EXPERIMENT.")]
    public string? Out { get; set; }

    /// <summary>Seeds of several runs.</summary>
    [Option("seeds", HelpText = "Comma-separated seeds instead of --seed: one run per seed in OUT/sSEED (each continued if it exists); with --shard, only that part of the list. Merge them with compare --from OUT.")]
    public string? Seeds { get; set; }

    /// <summary>Part of a seed list.</summary>
    [Option("shard", HelpText = "i/n: run only part i of n of the --seeds list (the k-th seed, from 0, when k mod n = i - 1), e.g. one task of a job array; a single run (no --seeds) is part 1.")]
    public string? Shard { get; set; }

    /// <summary>Resume.</summary>
    [Option("resume", Default = false, HelpText = "Continue the run in --out from its latest epoch checkpoint (only --epochs and --device may change).")]
    public bool Resume { get; set; }

    /// <summary>Overwrite another run's output.</summary>
    [Option("overwrite", Default = false, HelpText = "Start afresh in an --out that holds another run's checkpoints, deleting them.")]
    public bool Overwrite { get; set; }

    /// <summary>Stack traces on unexpected errors.</summary>
    [Option("verbose", Default = false, HelpText = "Print the stack trace of an unexpected error.")]
    public bool Verbose { get; set; }

    /// <summary>Validation fraction.</summary>
    [Option("val-fraction", Default = 0.1, HelpText = "Fraction of the training data held out for validation (every choice of defaults is made on it; the test split is read once, after the last epoch).")]
    public double ValFraction { get; set; } = 0.1;

    /// <summary>Training fraction.</summary>
    [Option("fraction", Default = 1.0, HelpText = "Train on this fraction of the training split (class shares kept; seeded): the sample-efficiency study.")]
    public double Fraction { get; set; } = 1.0;

    /// <summary>Divergence bound.</summary>
    [Option("divergence-factor", Default = 1e3, HelpText = "Stop as diverged when the task loss exceeds this factor times its first value (0: off; non-finite losses always stop the run).")]
    public double DivergenceFactor { get; set; } = 1e3;

    /// <summary>Batches for recomputing batch-norm statistics before each evaluation.</summary>
    [Option("bn-recompute", Default = 50, HelpText = "Before each evaluation, recompute the model's batch-norm statistics as the average over this many training batches of unaugmented inputs (0: keep the running averages of training; models without batch norm are unaffected).")]
    public int BnRecompute { get; set; } = 50;

    /// <summary>Learned generators k.</summary>
    [Option("generators", HelpText = "Number of learned generators k (semola, augerino-plus, liegan); at most the search space's dimension. Default: 1 (qm9: 6, or 3 with --center).")]
    public int? Generators { get; set; }

    /// <summary>Search space.</summary>
    [Option("space", HelpText = "Where learned generators live: affine2d, linear2d (images without translations), affine3d, linear3d, full, free-blocks or shared-blocks. Default: rotmnist affine2d, crc linear2d, nbody shared-blocks.")]
    public string? Space { get; set; }

    /// <summary>Augmented copies.</summary>
    [Option("copies", Default = 1, HelpText = "Augmented draws per sample K for the augmentation methods.")]
    public int Copies { get; set; } = 1;

    /// <summary>Test-time averaging.</summary>
    [Option("tta", HelpText = "Average predictions over N augmented copies at evaluation, mapped back with rho_Y(g)^-1 (augmentation methods). Default: 4 for augerino, else 0.")]
    public int? Tta { get; set; }

    /// <summary>Weight of the equivariance loss.</summary>
    [Option("lambda-eq", Default = 1.0, HelpText = "semola: weight of the equivariance loss.")]
    public double LambdaEq { get; set; } = 1.0;

    /// <summary>Weight of the distribution term.</summary>
    [Option("lambda-dist", HelpText = "semola: weight of the discriminator term (0 switches it off). Default: crc 0, else 1.")]
    public double? LambdaDist { get; set; }

    /// <summary>Weight of the extent reward.</summary>
    [Option("lambda-ext", HelpText = "semola: weight of the extent reward. Default: rotmnist 1, nbody 0.1.")]
    public double? LambdaExt { get; set; }

    /// <summary>Weight of the basis regulariser.</summary>
    [Option("lambda-basis", HelpText = "semola: weight of the orthogonality + sparsity regulariser. Default: qm9 1, else 0.01.")]
    public double? LambdaBasis { get; set; }

    /// <summary>Sparsity weight.</summary>
    [Option("beta", HelpText = "semola: weight of the L1 sparsity inside the basis regulariser. Default: rotmnist 0.1, nbody 0.")]
    public double? Beta { get; set; }

    /// <summary>Probe extent.</summary>
    [Option("probe-extent", HelpText = "semola: fixed extent of the elements the discriminator judges; 0 judges the learned extent. Default: rotmnist 0, nbody 2.")]
    public double? ProbeExtent { get; set; }

    /// <summary>Fixed extent cap.</summary>
    [Option("extent-cap", Default = 0.0, HelpText = "semola: a fixed cap of the extent reward; 0 (default) uses pi / ||Lhat||_2 of each learned direction, recomputed every step.")]
    public double ExtentCap { get; set; }

    /// <summary>Initial extent.</summary>
    [Option("initial-extent", HelpText = "semola: initial half-width of the coefficients. Default: crc 0.5, else 1.")]
    public double? InitialExtent { get; set; }

    /// <summary>Augmenter learning rate.</summary>
    [Option("aug-lr", HelpText = "semola: Adam learning rate of the augmenter. Default: qm9 0.03, else 0.01.")]
    public double? AugLr { get; set; }

    /// <summary>Discriminator learning rate.</summary>
    [Option("disc-lr", HelpText = "semola: Adam learning rate of the discriminator (betas 0.5, 0.999). Default: rotmnist 2e-4, nbody 1e-3.")]
    public double? DiscLr { get; set; }

    /// <summary>Discriminator width.</summary>
    [Option("disc-width", Default = 256, HelpText = "semola: hidden width of the discriminator's two layers.")]
    public int DiscWidth { get; set; } = 256;

    /// <summary>Warm-up steps.</summary>
    [Option("warmup-steps", Default = 0, HelpText = "semola: steps during which only the model trains.")]
    public int WarmupSteps { get; set; }

    /// <summary>Gaussian sigma.</summary>
    [Option("sigma", Default = 1.0, HelpText = "augerino-plus, liegan: standard deviation of the generators' coefficients.")]
    public double Sigma { get; set; } = 1.0;

    /// <summary>Cosine penalty weight.</summary>
    [Option("lambda-cos", Default = 0.01, HelpText = "augerino-plus, liegan: weight of |mean cos(g.x, x)|.")]
    public double LambdaCos { get; set; } = 0.01;

    /// <summary>L1 weight.</summary>
    [Option("mu", Default = 1e-3, HelpText = "augerino-plus, liegan: weight of the generators' L1 norm.")]
    public double Mu { get; set; } = 1e-3;

    /// <summary>Channel-correlation weight.</summary>
    [Option("eta", Default = 0.1, HelpText = "augerino-plus, liegan: weight of the generators' channel correlation.")]
    public double Eta { get; set; } = 0.1;

    /// <summary>Generator learning rate of the baselines.</summary>
    [Option("gen-lr", Default = 1e-3, HelpText = "augerino-plus, liegan: Adam learning rate of the generators (betas 0.5, 0.999).")]
    public double GenLr { get; set; } = 1e-3;

    /// <summary>LieGAN discovery epochs.</summary>
    [Option("discovery-epochs", Default = 10, HelpText = "liegan: epochs of generator discovery before the model trains.")]
    public int DiscoveryEpochs { get; set; } = 10;

    /// <summary>Augerino's width reward.</summary>
    [Option("augerino-reward", Default = 0.01, HelpText = "augerino: weight of the width reward (loss = task - reward * ||w||).")]
    public double AugerinoReward { get; set; } = 0.01;

    /// <summary>The experiment's name (the verb).</summary>
    public abstract string Experiment { get; }

    /// <summary>The defaults of the regression experiments (the N-body recipe, docs/nbody.md), then the common ones.</summary>
    protected void ApplyRegressionDefaults(int epochs)
    {
        Epochs ??= epochs;
        LrSchedule ??= "cosine";
        Device ??= "cpu";
        LambdaExt ??= 0.1;
        Beta ??= 0.0;
        ProbeExtent ??= 2.0;
        DiscLr ??= 1e-3;
        ApplyCommonDefaults();
    }

    /// <summary>The image experiments' defaults (the method page's validated RotatedMNIST recipe), then the common ones.</summary>
    protected void ApplyImageDefaults()
    {
        Epochs ??= 4;
        LrSchedule ??= "constant";
        Device ??= "auto";
        LambdaExt ??= 1.0;
        Beta ??= 0.1;
        ProbeExtent ??= 0.0;
        DiscLr ??= 2e-4;
        ApplyCommonDefaults();
    }

    /// <summary>Fills in every option left unset with the experiment's default.</summary>
    public virtual void ApplyDefaults() => ApplyCommonDefaults();

    private void ApplyCommonDefaults()
    {
        Generators ??= 1;
        LambdaDist ??= 1.0;
        InitialExtent ??= 1.0;
        LambdaBasis ??= 0.01;
        AugLr ??= 1e-2;
        Out ??= Path.Combine("runs", Experiment);
        Tta ??= Core.Method.MethodCatalog.DefaultTestTimeCopies(Method);
    }
}

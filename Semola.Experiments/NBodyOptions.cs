using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>nbody</c> verb: symmetry discovery on N-body trajectories (docs/nbody.md).</summary>
[Verb("nbody", HelpText = "N-body dynamics: predict the next states of 2 or 3 gravitating bodies with SEMoLA or a baseline; measure test MSE, equivariance error and the discovered generator.")]
public sealed class NBodyOptions
{
    /// <summary>Training method.</summary>
    [Option("method", Default = "semola", HelpText = "semola, base, gt-aug, augerino-plus, liegan or equivariant.")]
    public string Method { get; set; } = "semola";

    /// <summary>Split.</summary>
    [Option("variant", Default = "ood", HelpText = "ood (train on body 1's initial angle in (-180, 0.6] degrees, test on the rest) or id (random split).")]
    public string Variant { get; set; } = "ood";

    /// <summary>Bodies.</summary>
    [Option("bodies", Default = 2, HelpText = "Number of bodies of the generated data: 2 (LieGAN's set) or 3 (equilateral triangle).")]
    public int Bodies { get; set; } = 2;

    /// <summary>Model epochs.</summary>
    [Option("epochs", Default = 20, HelpText = "Training epochs of the model (liegan adds --discovery-epochs before them).")]
    public int Epochs { get; set; } = 20;

    /// <summary>Training trajectories.</summary>
    [Option("train-size", Default = 814, HelpText = "Generated training trajectories.")]
    public int TrainSize { get; set; } = 814;

    /// <summary>Test trajectories.</summary>
    [Option("test-size", Default = 790, HelpText = "Generated test trajectories.")]
    public int TestSize { get; set; } = 790;

    /// <summary>States per generated trajectory.</summary>
    [Option("steps", Default = 20, HelpText = "States per generated trajectory.")]
    public int Steps { get; set; } = 20;

    /// <summary>Time step.</summary>
    [Option("dt", Default = 20.0 / 49.0, HelpText = "Time between states of generated trajectories.")]
    public double Dt { get; set; } = 20.0 / 49.0;

    /// <summary>Input window.</summary>
    [Option("input-steps", Default = 1, HelpText = "States the model sees.")]
    public int InputSteps { get; set; } = 1;

    /// <summary>Output window.</summary>
    [Option("output-steps", Default = 1, HelpText = "Following states the model predicts.")]
    public int OutputSteps { get; set; } = 1;

    /// <summary>User trajectories.</summary>
    [Option("data", HelpText = "Trajectories to use instead of generated ones: .csv (rows trajectory,step,values) or .npy ([N, T, D] float32/float64), optionally .gz; split by --variant.")]
    public string? Data { get; set; }

    /// <summary>Train fraction of the id split of user data.</summary>
    [Option("train-fraction", Default = 0.5, HelpText = "Fraction of --data trajectories that train in the id split.")]
    public double TrainFraction { get; set; } = 0.5;

    /// <summary>Search space.</summary>
    [Option("space", Default = "shared-blocks", HelpText = "Where learned generators live: shared-blocks (one 2x2 block repeated), free-blocks (independent 2x2 blocks) or full.")]
    public string Space { get; set; } = "shared-blocks";

    /// <summary>Learned generators k.</summary>
    [Option("generators", Default = 1, HelpText = "Number of learned generators k.")]
    public int Generators { get; set; } = 1;

    /// <summary>Seed.</summary>
    [Option("seed", Default = 1, HelpText = "Random seed (data, initial weights, batch order, sampling).")]
    public int Seed { get; set; } = 1;

    /// <summary>Device.</summary>
    [Option("device", Default = "cpu", HelpText = "auto, cpu, cuda[:i], opencl[:i] or ilgpu-cpu (small MLPs run best on the CPU).")]
    public string Device { get; set; } = "cpu";

    /// <summary>Output directory.</summary>
    [Option("out", Default = "runs/nbody", HelpText = "Directory for results.json, epochs.csv, generators.svg and checkpoints.")]
    public string Out { get; set; } = "runs/nbody";

    /// <summary>Resume.</summary>
    [Option("resume", Default = false, HelpText = "Continue from the latest epoch checkpoint in --out.")]
    public bool Resume { get; set; }

    /// <summary>Batch size.</summary>
    [Option("batch-size", Default = 64, HelpText = "Mini-batch size (windows per step).")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Model learning rate.</summary>
    [Option("lr", Default = 1e-3, HelpText = "Adam learning rate of the model.")]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Learning-rate schedule.</summary>
    [Option("lr-schedule", Default = "cosine", HelpText = "cosine (anneal the model's and the generator's rates to 0 over the training epochs) or constant.")]
    public string LrSchedule { get; set; } = "cosine";

    /// <summary>Hidden width.</summary>
    [Option("hidden", Default = 512, HelpText = "Width of the MLP's two hidden layers.")]
    public int Hidden { get; set; } = 512;

    /// <summary>Weight of the equivariance loss.</summary>
    [Option("lambda-eq", Default = 1.0, HelpText = "SEMoLA: weight of the equivariance loss.")]
    public double LambdaEq { get; set; } = 1.0;

    /// <summary>Weight of the distribution term.</summary>
    [Option("lambda-dist", Default = 1.0, HelpText = "SEMoLA: weight of the discriminator term (0 switches it off).")]
    public double LambdaDist { get; set; } = 1.0;

    /// <summary>Weight of the extent reward.</summary>
    [Option("lambda-ext", Default = 0.1, HelpText = "SEMoLA: weight of the extent reward (N-body default 0.1).")]
    public double LambdaExt { get; set; } = 0.1;

    /// <summary>Weight of the basis regulariser.</summary>
    [Option("lambda-basis", Default = 0.01, HelpText = "SEMoLA: weight of the orthogonality + sparsity regulariser.")]
    public double LambdaBasis { get; set; } = 0.01;

    /// <summary>Sparsity weight.</summary>
    [Option("beta", Default = 0.0, HelpText = "SEMoLA: weight of the L1 sparsity inside the basis regulariser (N-body default 0).")]
    public double Beta { get; set; }

    /// <summary>Probe extent.</summary>
    [Option("probe-extent", Default = 2.0, HelpText = "SEMoLA: fixed extent of the elements the discriminator judges (N-body default 2; 0 judges the learned extent).")]
    public double ProbeExtent { get; set; } = 2.0;

    /// <summary>Initial extent.</summary>
    [Option("initial-extent", Default = 1.0, HelpText = "SEMoLA: initial half-width of the coefficients.")]
    public double InitialExtent { get; set; } = 1.0;

    /// <summary>Augmenter learning rate.</summary>
    [Option("aug-lr", Default = 1e-2, HelpText = "SEMoLA: Adam learning rate of the augmenter.")]
    public double AugLr { get; set; } = 1e-2;

    /// <summary>Discriminator learning rate.</summary>
    [Option("disc-lr", Default = 1e-3, HelpText = "SEMoLA: Adam learning rate of the discriminator (betas 0.5, 0.999; N-body default 1e-3).")]
    public double DiscLr { get; set; } = 1e-3;

    /// <summary>Discriminator width.</summary>
    [Option("disc-width", Default = 256, HelpText = "SEMoLA: hidden width of the discriminator's two layers.")]
    public int DiscWidth { get; set; } = 256;

    /// <summary>Warm-up steps.</summary>
    [Option("warmup-steps", Default = 0, HelpText = "SEMoLA: steps during which only the model trains.")]
    public int WarmupSteps { get; set; }

    /// <summary>Gaussian sigma of the baselines.</summary>
    [Option("sigma", Default = 1.0, HelpText = "augerino-plus, liegan: standard deviation of the generator's coefficients.")]
    public double Sigma { get; set; } = 1.0;

    /// <summary>Cosine penalty weight.</summary>
    [Option("lambda-cos", Default = 0.01, HelpText = "augerino-plus, liegan: weight of |mean cos(g.x, x)|.")]
    public double LambdaCos { get; set; } = 0.01;

    /// <summary>L1 weight.</summary>
    [Option("mu", Default = 1e-3, HelpText = "augerino-plus, liegan: weight of the generator's L1 norm.")]
    public double Mu { get; set; } = 1e-3;

    /// <summary>LieGAN discovery epochs.</summary>
    [Option("discovery-epochs", Default = 10, HelpText = "liegan: epochs of generator discovery before the model trains.")]
    public int DiscoveryEpochs { get; set; } = 10;
}

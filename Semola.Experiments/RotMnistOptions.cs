using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>rotmnist</c> verb (the default): symmetry discovery on RotatedMNIST.</summary>
[Verb("rotmnist", isDefault: true, HelpText = "RotatedMNIST: train the base CNN with SEMoLA (or a baseline) on rotated real digits, measure accuracy, invariance and the discovered generator (default verb).")]
public sealed class RotMnistOptions
{
    /// <summary>Training method.</summary>
    [Option("method", Default = "semola", HelpText = "semola, base or gt-aug.")]
    public string Method { get; set; } = "semola";

    /// <summary>Angle distribution.</summary>
    [Option("variant", Default = "id", HelpText = "id (train and test angles over the full turn) or ood (train angles in [-45, 45] degrees, test over the full turn).")]
    public string Variant { get; set; } = "id";

    /// <summary>Passes over the training images.</summary>
    [Option("epochs", Default = 4, HelpText = "Training epochs.")]
    public int Epochs { get; set; } = 4;

    /// <summary>Training images.</summary>
    [Option("train-size", Default = 8000, HelpText = "Training digits, the first of the data set.")]
    public int TrainSize { get; set; } = 8000;

    /// <summary>Test images.</summary>
    [Option("test-size", Default = 2000, HelpText = "Test digits, taken after the training digits.")]
    public int TestSize { get; set; } = 2000;

    /// <summary>Learned generators k.</summary>
    [Option("generators", Default = 1, HelpText = "Number of learned generators k (semola).")]
    public int Generators { get; set; } = 1;

    /// <summary>Seed.</summary>
    [Option("seed", Default = 1, HelpText = "Random seed (angles, initial weights, batch order, sampling).")]
    public int Seed { get; set; } = 1;

    /// <summary>Device.</summary>
    [Option("device", Default = "auto", HelpText = "auto, cpu, cuda[:i], opencl[:i] or ilgpu-cpu.")]
    public string Device { get; set; } = "auto";

    /// <summary>Output directory.</summary>
    [Option("out", Default = "runs/rotmnist", HelpText = "Directory for results.json, epochs.csv, generators.svg and checkpoints.")]
    public string Out { get; set; } = "runs/rotmnist";

    /// <summary>Resume from the latest checkpoint in the output directory.</summary>
    [Option("resume", Default = false, HelpText = "Continue from the latest epoch checkpoint in --out.")]
    public bool Resume { get; set; }

    /// <summary>Images per step.</summary>
    [Option("batch-size", Default = 64, HelpText = "Mini-batch size.")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Model learning rate.</summary>
    [Option("lr", Default = 1e-3, HelpText = "Adam learning rate of the base model.")]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Learning-rate schedule of the base model.</summary>
    [Option("lr-schedule", Default = "constant", HelpText = "constant, or cosine (decay to zero over the run; helps in distribution, hurts out of distribution, see docs/method.md).")]
    public string LrSchedule { get; set; } = "constant";

    /// <summary>Data directory.</summary>
    [Option("data", HelpText = "Directory with MNIST IDX files (images-idx3-ubyte[.gz], labels-idx1-ubyte[.gz]) to use instead of the shipped digits.")]
    public string? Data { get; set; }

    /// <summary>Weight of the equivariance loss.</summary>
    [Option("lambda-eq", Default = 1.0, HelpText = "Weight of the equivariance loss.")]
    public double LambdaEq { get; set; } = 1.0;

    /// <summary>Weight of the distribution term.</summary>
    [Option("lambda-dist", Default = 1.0, HelpText = "Weight of the discriminator term (0 switches it off).")]
    public double LambdaDist { get; set; } = 1.0;

    /// <summary>Weight of the extent reward.</summary>
    [Option("lambda-ext", Default = 1.0, HelpText = "Weight of the extent reward.")]
    public double LambdaExt { get; set; } = 1.0;

    /// <summary>Weight of the basis regulariser.</summary>
    [Option("lambda-basis", Default = 0.01, HelpText = "Weight of the orthogonality + sparsity regulariser.")]
    public double LambdaBasis { get; set; } = 0.01;

    /// <summary>Sparsity weight.</summary>
    [Option("beta", Default = 0.1, HelpText = "Weight of the L1 sparsity inside the basis regulariser.")]
    public double Beta { get; set; } = 0.1;

    /// <summary>Probe extent of the discriminator term.</summary>
    [Option("probe-extent", HelpText = "Fixed extent of the elements the discriminator judges (default: the learned extent).")]
    public double? ProbeExtent { get; set; }

    /// <summary>Augmenter learning rate.</summary>
    [Option("aug-lr", Default = 1e-2, HelpText = "Adam learning rate of the augmenter.")]
    public double AugLr { get; set; } = 1e-2;

    /// <summary>Warm-up steps.</summary>
    [Option("warmup-steps", Default = 0, HelpText = "Steps during which only the base model trains.")]
    public int WarmupSteps { get; set; }
}

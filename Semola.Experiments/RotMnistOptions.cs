using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>rotmnist</c> verb (the default): symmetry discovery on RotatedMNIST.</summary>
[Verb("rotmnist", isDefault: true, HelpText = "RotatedMNIST: train the base CNN with SEMoLA (or a baseline) on rotated real digits, measure accuracy, invariance and the discovered generator (default verb).")]
public sealed class RotMnistOptions : ExperimentOptions
{
    /// <summary>Angle distribution.</summary>
    [Option("variant", Default = "id", HelpText = "id (train and test angles over the full turn) or ood (train angles in [-45, 45] degrees, test over the full turn).")]
    public string Variant { get; set; } = "id";

    /// <summary>Training images.</summary>
    [Option("train-size", Default = 8000, HelpText = "Training digits, the first of the data set (--val-fraction of them validate).")]
    public int TrainSize { get; set; } = 8000;

    /// <summary>Test images.</summary>
    [Option("test-size", Default = 2000, HelpText = "Test digits, taken after the training digits.")]
    public int TestSize { get; set; } = 2000;

    /// <summary>Data directory.</summary>
    [Option("data", HelpText = "Directory with MNIST IDX files (images-idx3-ubyte[.gz], labels-idx1-ubyte[.gz]) to use instead of the shipped digits.")]
    public string? Data { get; set; }

    /// <inheritdoc />
    public override string Experiment => "rotmnist";

    /// <inheritdoc />
    public override void ApplyDefaults() => ApplyImageDefaults();
}

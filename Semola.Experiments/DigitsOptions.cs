using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>digits</c> verb (the default): train the base CNN on the shipped MNIST digits.</summary>
[Verb("digits", HelpText = "Train the base CNN on the shipped MNIST digits (upright) and report test accuracy.")]
public sealed class DigitsOptions
{
    /// <summary>Passes over the training images.</summary>
    [Option("epochs", Default = 1, HelpText = "Training epochs.")]
    public int Epochs { get; set; } = 1;

    /// <summary>Number of training images (the first ones of the shipped set).</summary>
    [Option("train-size", Default = 2000, HelpText = "Training images, taken from the start of the shipped 10000.")]
    public int TrainSize { get; set; } = 2000;

    /// <summary>Number of test images (taken after the training images).</summary>
    [Option("test-size", Default = 1000, HelpText = "Test images, taken after the training images.")]
    public int TestSize { get; set; } = 1000;

    /// <summary>Images per step.</summary>
    [Option("batch-size", Default = 64, HelpText = "Mini-batch size.")]
    public int BatchSize { get; set; } = 64;

    /// <summary>Seed of initialisation and shuffling.</summary>
    [Option("seed", Default = 0, HelpText = "Random seed (initial weights and batch order).")]
    public int Seed { get; set; }

    /// <summary>Adam learning rate.</summary>
    [Option("lr", Default = 1e-3, HelpText = "Adam learning rate.")]
    public double Lr { get; set; } = 1e-3;

    /// <summary>Print a progress line every this many steps.</summary>
    [Option("log-every", Default = 10, HelpText = "Print a progress line every N steps.")]
    public int LogEvery { get; set; } = 10;
}

using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>crc</c> verb: colorectal histology (PathMNIST, or generated rotated textures).</summary>
[Verb("crc", HelpText = "Colorectal histology: train the base CNN (3 channels) with SEMoLA or a baseline on PathMNIST (--data FILE.npz) or, by default, generated textures at random orientations.")]
public sealed class CrcOptions : ExperimentOptions
{
    /// <summary>PathMNIST file.</summary>
    [Option("data", HelpText = "PathMNIST .npz (train_images, train_labels, val_*, test_*); default: generated textures.")]
    public string? Data { get; set; }

    /// <summary>Limit per split of the .npz.</summary>
    [Option("max-per-split", Default = 0, HelpText = "With --data: at most this many images per split (0: all).")]
    public int MaxPerSplit { get; set; }

    /// <summary>Generated training patches.</summary>
    [Option("train-size", Default = 4000, HelpText = "Generated training patches (--val-fraction of them validate).")]
    public int TrainSize { get; set; } = 4000;

    /// <summary>Generated test patches.</summary>
    [Option("test-size", Default = 1000, HelpText = "Generated test patches.")]
    public int TestSize { get; set; } = 1000;

    /// <summary>Patch size.</summary>
    [Option("size", Default = 28, HelpText = "Side of generated patches in pixels.")]
    public int Size { get; set; } = 28;

    /// <summary>Generated class set.</summary>
    [Option("textures", Default = "subtle", HelpText = "Generated classes: subtle (pairs that differ only in blob size, stripe period or fibre alignment, colour uninformative) or distinct (the first, easy set).")]
    public string Textures { get; set; } = "subtle";

    /// <summary>Field of view of generated patches.</summary>
    [Option("field", Default = "round", HelpText = "Generated patches' field of view: round (black outside the inscribed disc, so rotations about the centre keep the data's distribution) or square.")]
    public string Field { get; set; } = "round";

    /// <inheritdoc />
    public override string Experiment => "crc";

    /// <summary>
    /// The image defaults, except 8 training epochs (SEMoLA's direction settles in 4-6 on the generated textures) and
    /// three for SEMoLA: generators search the linear maps of the plane only (linear2d: the CNN with global pooling is
    /// translation-equivariant already, and patches are crops at arbitrary positions); no discriminator term (bilinear
    /// resampling smooths the textures' pixel noise, so any transformed patch, a rotated one included, is told from a
    /// real one); and an initial extent of 0.5, so the direction turns before the extent grows (docs/crc.md).
    /// </summary>
    public override void ApplyDefaults()
    {
        Epochs ??= 8;
        Space ??= "linear2d";
        LambdaDist ??= 0.0;
        InitialExtent ??= 0.5;
        ApplyImageDefaults();
    }
}

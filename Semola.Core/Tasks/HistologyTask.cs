using Semola.Core.Data;

namespace Semola.Core.Tasks;

/// <summary>
/// Colorectal histology (CRC): RGB tissue patches classified by the base CNN with three input channels. The real data
/// is PathMNIST's .npz (its own train / validation / test splits); the generated default is rotated and mirrored
/// synthetic textures (<see cref="SyntheticTextures"/>), split with the class proportions kept. The true symmetry is
/// rotation (and reflection, which no connected group contains).
/// </summary>
public sealed class HistologyTask : ImageClassificationTask
{
    private HistologyTask(ImageSplits splits, int classes)
        : base(splits.Train, splits.Validation, splits.Test, classes)
    {
    }

    /// <summary>PathMNIST from its .npz file (at most <paramref name="maxPerSplit"/> images per split; 0 for all).</summary>
    public static HistologyTask FromNpz(string path, int maxPerSplit) =>
        new(MedMnistNpz.Load(path, MedMnistNpz.PathMnistClasses, maxPerSplit), MedMnistNpz.PathMnistClasses);

    /// <summary>Generated textures: <paramref name="train"/> training patches (of which a fraction validates) and <paramref name="test"/> test patches.</summary>
    public static HistologyTask Synthetic(int train, int test, int size, int seed, double validationFraction, TextureClasses classes = TextureClasses.Subtle, bool circularField = true)
    {
        var all = SyntheticTextures.Generate(train + test, seed, size, classes: classes, circularField: circularField);
        double testFraction = (double)test / (train + test);
        var splits = StratifiedSplit.Split(all, (1 - testFraction) * (1 - validationFraction), (1 - testFraction) * validationFraction, seed);
        return new HistologyTask(splits, SyntheticTextures.NumClasses);
    }

    /// <inheritdoc />
    public override string Name => "crc";
}

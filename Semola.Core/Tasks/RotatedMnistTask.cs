using Semola.Core.Data;

namespace Semola.Core.Tasks;

/// <summary>
/// RotatedMNIST: digits, each rotated once by a seeded angle (full turn, or +-45 degrees for training in the OOD
/// variant), classified by the base CNN; the group acts on images by affine resampling; the true symmetry is rotation.
/// The validation split is a seeded fraction of the (rotated) training digits.
/// </summary>
public sealed class RotatedMnistTask : ImageClassificationTask
{
    private RotatedMnistTask(ImageDataSet train, ImageDataSet validation, ImageDataSet test, int classes)
        : base(train, validation, test, classes)
    {
    }

    /// <summary>Builds the splits: <paramref name="trainSize"/> training digits (of which a fraction validates) and <paramref name="testSize"/> test digits.</summary>
    public static RotatedMnistTask Build(ImageDataSet digits, int trainSize, int testSize, RotationVariant variant, int seed, double validationFraction)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var split = RotatedMnist.Build(digits, trainSize, testSize, variant, seed);
        var (train, validation) = Splits.CarveValidation(split.Train.Count, validationFraction, seed);
        return new RotatedMnistTask(split.Train.Subset(train), split.Train.Subset(validation), split.Test, Math.Max(10, digits.Labels.Max() + 1));
    }

    /// <summary>A task over given (already rotated) splits, e.g. for tests and benchmarks.</summary>
    public static RotatedMnistTask FromSplits(ImageDataSet train, ImageDataSet validation, ImageDataSet test)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        return new RotatedMnistTask(train, validation, test, Math.Max(10, train.Labels.Max() + 1));
    }

    /// <inheritdoc />
    public override string Name => "rotmnist";
}

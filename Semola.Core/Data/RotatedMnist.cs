using Semola.Autodiff;

namespace Semola.Core.Data;

/// <summary>
/// Builds RotatedMNIST from upright digits: each digit is rotated once by a seeded angle with the
/// engine's own bilinear grid sampler (zero padding outside the image).
/// </summary>
public static class RotatedMnist
{
    /// <summary>The restricted train range of the OOD variant, in degrees either side of upright.</summary>
    public const double OodHalfRangeDegrees = 45.0;

    /// <summary>A train/test pair with the angle (radians) each image was rotated by.</summary>
    public sealed record Split(ImageDataSet Train, ImageDataSet Test, float[] TrainAngles, float[] TestAngles);

    /// <summary>
    /// Takes the first <paramref name="trainSize"/> digits of <paramref name="source"/> for training and
    /// the next <paramref name="testSize"/> for testing, and rotates them as the variant says.
    /// </summary>
    public static Split Build(ImageDataSet source, int trainSize, int testSize, RotationVariant variant, int seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (trainSize < 1 || testSize < 1 || trainSize + testSize > source.Count)
        {
            throw new ArgumentException($"RotatedMNIST: train size {trainSize} + test size {testSize} must be positive and at most the {source.Count} digits available.");
        }
        var rng = new Random(seed);
        double trainHalf = variant == RotationVariant.Ood ? OodHalfRangeDegrees * Math.PI / 180 : Math.PI;
        var trainAngles = new float[trainSize];
        for (int i = 0; i < trainSize; i++)
        {
            trainAngles[i] = (float)((2 * rng.NextDouble() - 1) * trainHalf);
        }
        var testAngles = new float[testSize];
        for (int i = 0; i < testSize; i++)
        {
            testAngles[i] = (float)((2 * rng.NextDouble() - 1) * Math.PI);
        }
        var train = Rotate(source.Slice(0, trainSize), trainAngles);
        var test = Rotate(source.Slice(trainSize, testSize), testAngles);
        return new Split(train, test, trainAngles, testAngles);
    }

    /// <summary>
    /// Rotates image i by angles[i] radians (counter-clockwise on screen, where y points down: the
    /// image is resampled at R(angle) p, see <see cref="Actions.ImageAffineAction"/>).
    /// </summary>
    public static ImageDataSet Rotate(ImageDataSet images, float[] angles)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(angles);
        if (angles.Length != images.Count)
        {
            throw new ArgumentException($"RotatedMNIST: {angles.Length} angles for {images.Count} images.");
        }
        var output = new float[images.Pixels.Length];
        const int Chunk = 512;
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < images.Count; start += Chunk)
            {
                using var scope = new TensorScope();
                int count = Math.Min(Chunk, images.Count - start);
                var theta = new float[count * 6];
                for (int i = 0; i < count; i++)
                {
                    float c = MathF.Cos(angles[start + i]), s = MathF.Sin(angles[start + i]);
                    theta[i * 6 + 0] = c;
                    theta[i * 6 + 1] = -s;
                    theta[i * 6 + 3] = s;
                    theta[i * 6 + 4] = c;
                }
                var x = Tensor.FromArray(images.Pixels.AsSpan(start * images.ImageSize, count * images.ImageSize), [count, images.Channels, images.Height, images.Width]);
                var y = x.AffineGridSample(Tensor.FromArray(theta, [count, 2, 3])).ToArray();
                y.CopyTo(output, start * images.ImageSize);
            }
        }
        return new ImageDataSet(output, (int[])images.Labels.Clone(), images.Channels, images.Height, images.Width);
    }
}

namespace Semola.Core.Data;

/// <summary>
/// Reads a MedMNIST data set in its distributed .npz form, e.g. PathMNIST (colorectal cancer histology,
/// 9 tissue classes; <c>pathmnist.npz</c>, <c>pathmnist_64.npz</c>, <c>pathmnist_128.npz</c>): arrays
/// <c>train_images</c>, <c>val_images</c>, <c>test_images</c> of uint8 pixels [N, H, W, 3] (RGB) or
/// [N, H, W] (grey) and <c>train_labels</c>, <c>val_labels</c>, <c>test_labels</c> of integers [N, 1] or [N].
/// Pixels become floats byte / 255, channel-major as <see cref="ImageDataSet"/> stores them.
/// </summary>
public static class MedMnistNpz
{
    /// <summary>Number of PathMNIST classes (adipose, background, debris, lymphocytes, mucus, smooth muscle, normal mucosa, stroma, tumour epithelium).</summary>
    public const int PathMnistClasses = 9;

    /// <summary>The split prefixes of the archive, in order: train, val, test.</summary>
    public static readonly IReadOnlyList<string> SplitNames = ["train", "val", "test"];

    /// <summary>Reads the three splits.</summary>
    /// <param name="path">The .npz file.</param>
    /// <param name="numClasses">Number of classes; every label must lie in 0..numClasses-1.</param>
    /// <param name="maxPerSplit">When positive, read only the first this many images of each split (the 128x128 training split does not fit in one array otherwise).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A missing array, a wrong dtype or rank, mismatched image and label counts, image sizes that differ between splits, or a label out of range.</exception>
    public static ImageSplits Load(string path, int numClasses = PathMnistClasses, int maxPerSplit = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerSplit);
        var names = SplitNames.SelectMany(s => new[] { s + "_images", s + "_labels" }).ToArray();
        var arrays = NpzReader.ReadArrays(path, names, maxPerSplit);
        var sets = new ImageDataSet[3];
        for (int s = 0; s < 3; s++)
        {
            sets[s] = ToImages(arrays[SplitNames[s] + "_images"], arrays[SplitNames[s] + "_labels"], numClasses);
            if (s > 0 && (sets[s].Channels, sets[s].Height, sets[s].Width) != (sets[0].Channels, sets[0].Height, sets[0].Width))
            {
                throw new InvalidDataException(
                    $"{path}: {SplitNames[s]}_images are {sets[s].Height}x{sets[s].Width}x{sets[s].Channels} but train_images are {sets[0].Height}x{sets[0].Width}x{sets[0].Channels}.");
            }
        }

        return new ImageSplits(sets[0], sets[1], sets[2]);
    }

    /// <summary>Converts one split's arrays (see the class summary for their form) into a data set.</summary>
    /// <exception cref="InvalidDataException">Wrong dtype or rank, mismatched counts, or a label out of range.</exception>
    public static ImageDataSet ToImages(NpyArray images, NpyArray labels, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.Kind != 'u' || images.ItemSize != 1)
        {
            throw new InvalidDataException($"{images.Source}: dtype '{images.DType}' is not supported; expected uint8 pixels.");
        }

        if (images.Rank is not (3 or 4) || (images.Rank == 4 && images.Shape[3] is not (1 or 3)))
        {
            throw new InvalidDataException($"{images.Source}: expected images [N, H, W, 3] or [N, H, W], found shape {images.ShapeText}.");
        }

        int n = images.Shape[0], h = images.Shape[1], w = images.Shape[2], c = images.Rank == 4 ? images.Shape[3] : 1;
        if (h < 1 || w < 1)
        {
            throw new InvalidDataException($"{images.Source}: expected images of at least 1x1 pixels, found shape {images.ShapeText}.");
        }

        if (!labels.IsInteger || labels.Rank is not (1 or 2) || (labels.Rank == 2 && labels.Shape[1] != 1))
        {
            throw new InvalidDataException($"{labels.Source}: expected integer labels [N, 1] or [N], found dtype '{labels.DType}' and shape {labels.ShapeText}.");
        }

        if (labels.Shape[0] != n)
        {
            throw new InvalidDataException($"{labels.Source}: {labels.Shape[0]} labels for the {n} images of {images.Source}.");
        }

        var raw = labels.ToInt64();
        var classes = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (raw[i] < 0 || raw[i] >= numClasses)
            {
                throw new InvalidDataException($"{labels.Source}: label {i} is {raw[i]}; expected a value in 0..{numClasses - 1}.");
            }

            classes[i] = (int)raw[i];
        }

        long size = (long)c * h * w;
        if (size * n > Array.MaxLength)
        {
            throw new InvalidDataException($"{images.Source}: {n} images of {h}x{w}x{c} are too many to hold as floats; read fewer per split.");
        }

        var pixels = new float[size * n];
        var data = images.Data.Span;
        for (int i = 0; i < n; i++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    long src = (((((long)i * h) + y) * w) + x) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        pixels[(i * size) + (((ch * h) + y) * w) + x] = data[(int)(src + ch)] / 255f;
                    }
                }
            }
        }

        return new ImageDataSet(pixels, classes, c, h, w);
    }
}

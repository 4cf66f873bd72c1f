namespace Semola.Core.Data;

/// <summary>
/// A labelled set of equally sized images held in memory.
/// Pixels are stored image after image, each image channel-major then row-major
/// (index = ((n * Channels + c) * Height + y) * Width + x), as floats normally in [0, 1].
/// </summary>
public sealed class ImageDataSet
{
    /// <summary>Wraps the given arrays (no copy).</summary>
    /// <exception cref="ArgumentException">The array lengths do not match the shape, or a label is negative.</exception>
    public ImageDataSet(float[] pixels, int[] labels, int channels, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        long imageSize = (long)channels * height * width;
        if (imageSize > int.MaxValue || (long)labels.Length * imageSize != pixels.LongLength)
        {
            throw new ArgumentException(
                $"Expected {labels.Length} images x {channels}x{height}x{width} = {(long)labels.Length * imageSize} pixels, found {pixels.LongLength}.",
                nameof(pixels));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0)
            {
                throw new ArgumentException($"Label {i} is negative ({labels[i]}).", nameof(labels));
            }
        }

        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>All pixels, <see cref="Count"/> x <see cref="ImageSize"/> values.</summary>
    public float[] Pixels { get; }

    /// <summary>One class label per image.</summary>
    public int[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image (1 for MNIST).</summary>
    public int Channels { get; }

    /// <summary>Image height in pixels (rows).</summary>
    public int Height { get; }

    /// <summary>Image width in pixels (columns).</summary>
    public int Width { get; }

    /// <summary>Values per image: Channels x Height x Width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The pixels of image <paramref name="index"/>, a view into <see cref="Pixels"/>.</summary>
    public Span<float> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>A copy holding the images at the given indices, in that order (repeats allowed).</summary>
    public ImageDataSet Subset(ReadOnlySpan<int> indices)
    {
        int size = ImageSize;
        var pixels = new float[(long)indices.Length * size];
        var labels = new int[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            int source = indices[i];
            if ((uint)source >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), $"Index {source} at position {i} is outside 0..{Count - 1}.");
            }

            Array.Copy(Pixels, (long)source * size, pixels, (long)i * size, size);
            labels[i] = Labels[source];
        }

        return new ImageDataSet(pixels, labels, Channels, Height, Width);
    }

    /// <summary>A copy of the <paramref name="count"/> images starting at <paramref name="start"/>.</summary>
    public ImageDataSet Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if ((long)start + count > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"Slice {start}..{(long)start + count - 1} exceeds the {Count} images.");
        }

        int size = ImageSize;
        var pixels = Pixels.AsSpan(start * size, count * size).ToArray();
        var labels = Labels.AsSpan(start, count).ToArray();
        return new ImageDataSet(pixels, labels, Channels, Height, Width);
    }

    /// <summary>Number of images per label 0..<paramref name="numClasses"/>-1.</summary>
    /// <exception cref="InvalidOperationException">A label is not below <paramref name="numClasses"/>.</exception>
    public int[] ClassCounts(int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        var counts = new int[numClasses];
        foreach (int label in Labels)
        {
            if (label >= numClasses)
            {
                throw new InvalidOperationException($"Label {label} is not below {numClasses}.");
            }

            counts[label]++;
        }

        return counts;
    }
}

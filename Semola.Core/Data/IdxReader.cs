using System.Buffers.Binary;

namespace Semola.Core.Data;

/// <summary>
/// Reads IDX files, the format of the original MNIST distribution: a 4-byte big-endian magic
/// number (two zero bytes, an element-type byte, the number of dimensions), one big-endian
/// 32-bit size per dimension, then the data. Only the unsigned-byte element type (0x08) is
/// supported. Files may be plain or gzip-compressed; compression is detected from the gzip
/// magic bytes, not from the file name.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an idx3-ubyte image file.</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an idx1-ubyte label file.</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Reads any unsigned-byte IDX file and checks that its size matches the header exactly.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Bad magic number, truncated or oversized file, or broken gzip data.</exception>
    public static IdxArray ReadArray(string path)
    {
        byte[] bytes = DataFile.ReadAllBytes(path);
        if (bytes.Length < 4)
        {
            throw new InvalidDataException($"{path}: expected an IDX header of at least 4 bytes, found a file of {bytes.Length} bytes.");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(bytes);
        int rank = bytes[3];
        if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || rank == 0)
        {
            throw new InvalidDataException(
                $"{path}: expected an unsigned-byte IDX magic number 0x000008NN (NN = number of dimensions, at least 1), found 0x{magic:X8}.");
        }

        int headerLength = 4 + (4 * rank);
        if (bytes.Length < headerLength)
        {
            throw new InvalidDataException($"{path}: truncated header: expected {headerLength} bytes for {rank} dimensions, found {bytes.Length}.");
        }

        var dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + (4 * i)));
            if (dims[i] < 0)
            {
                throw new InvalidDataException($"{path}: dimension {i} is {dims[i]}; expected a non-negative size.");
            }

            expected *= dims[i];
            if (expected > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: dimensions [{string.Join(", ", dims[..(i + 1)])}] describe more data than can be held in memory.");
            }
        }

        long found = bytes.LongLength - headerLength;
        if (found != expected)
        {
            string what = found < expected ? "truncated file" : "unexpected trailing bytes";
            throw new InvalidDataException(
                $"{path}: {what}: dimensions [{string.Join(", ", dims)}] need {expected} data bytes after the {headerLength}-byte header, found {found}.");
        }

        return new IdxArray(dims, bytes.AsSpan(headerLength).ToArray());
    }

    /// <summary>Reads an idx3-ubyte image file (count x rows x columns).</summary>
    /// <exception cref="InvalidDataException">Not an idx3-ubyte file, or malformed.</exception>
    public static IdxArray ReadImageArray(string path)
    {
        IdxArray array = ReadArray(path);
        if (array.Magic != ImagesMagic)
        {
            throw new InvalidDataException(
                $"{path}: expected an idx3-ubyte image file (magic 0x{ImagesMagic:X8}), found magic 0x{array.Magic:X8} with {array.Dimensions.Length} dimension(s).");
        }

        if (array.Dimensions[1] == 0 || array.Dimensions[2] == 0)
        {
            throw new InvalidDataException(
                $"{path}: expected images of at least 1x1 pixels, found {array.Dimensions[1]}x{array.Dimensions[2]}.");
        }

        return array;
    }

    /// <summary>Reads an idx1-ubyte label file and checks every label is in 0..<paramref name="numClasses"/>-1.</summary>
    /// <exception cref="InvalidDataException">Not an idx1-ubyte file, malformed, or a label out of range.</exception>
    public static int[] ReadLabels(string path, int numClasses = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);
        IdxArray array = ReadArray(path);
        if (array.Magic != LabelsMagic)
        {
            throw new InvalidDataException(
                $"{path}: expected an idx1-ubyte label file (magic 0x{LabelsMagic:X8}), found magic 0x{array.Magic:X8} with {array.Dimensions.Length} dimension(s).");
        }

        var labels = new int[array.Data.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            int label = array.Data[i];
            if (label >= numClasses)
            {
                throw new InvalidDataException($"{path}: label {i} is {label}; expected a value in 0..{numClasses - 1}.");
            }

            labels[i] = label;
        }

        return labels;
    }

    /// <summary>Reads an idx3-ubyte image file as floats scaled to [0, 1] (byte / 255), all labels 0.</summary>
    public static ImageDataSet ReadImages(string path)
    {
        IdxArray images = ReadImageArray(path);
        return new ImageDataSet(ToUnitFloats(images.Data), new int[images.Dimensions[0]], 1, images.Dimensions[1], images.Dimensions[2]);
    }

    /// <summary>
    /// Reads an image file and its label file into one data set, checking that the counts match.
    /// Pixels are scaled to [0, 1] as byte / 255.
    /// </summary>
    /// <exception cref="FileNotFoundException">Either file does not exist.</exception>
    /// <exception cref="InvalidDataException">Either file is malformed, or the counts differ.</exception>
    public static ImageDataSet LoadPair(string imagesPath, string labelsPath, int numClasses = 10)
    {
        IdxArray images = ReadImageArray(imagesPath);
        int[] labels = ReadLabels(labelsPath, numClasses);
        if (images.Dimensions[0] != labels.Length)
        {
            throw new InvalidDataException(
                $"{labelsPath}: expected {images.Dimensions[0]} labels to match the images in '{imagesPath}', found {labels.Length}.");
        }

        return new ImageDataSet(ToUnitFloats(images.Data), labels, 1, images.Dimensions[1], images.Dimensions[2]);
    }

    private static float[] ToUnitFloats(byte[] data)
    {
        var pixels = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            pixels[i] = data[i] / 255f;
        }

        return pixels;
    }
}

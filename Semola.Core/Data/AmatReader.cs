using System.Globalization;

namespace Semola.Core.Data;

/// <summary>
/// Reads the ASCII-matrix (.amat) files of the MNIST variation benchmarks of Larochelle et al.
/// (ICML 2007), in particular the RotatedMNIST files
/// <see cref="TrainValidFileName"/> (12,000 rows: 10,000 train then 2,000 validation) and
/// <see cref="TestFileName"/> (50,000 rows).
/// <para>
/// Format: one image per line, Height x Width pixel values as decimal floats, then the label
/// written as a float (e.g. "7.000000"), separated by spaces or tabs. Blank lines and lines
/// starting with '#' (the PLearn amat header convention) are skipped. Files may be gzip-compressed
/// (detected from the magic bytes). Pixel values are taken as they are (already in [0, 1] in
/// these files); only non-finite values are rejected.
/// </para>
/// <para>
/// Pixel order: by default the values of a line are read row-major, like IDX. This follows the
/// loader published by one of the benchmark's authors (scikit-data, larochelle_etal_2007), which
/// marks only the background variants (mnist_background_images, mnist_background_random) as
/// "saved sideways" and reads the rotation set without transposing. Pass transpose = true for
/// files stored column-major (pixel (row r, column c) at position c * Height + r).
/// </para>
/// </summary>
public static class AmatReader
{
    /// <summary>RotatedMNIST training plus validation file name.</summary>
    public const string TrainValidFileName = "mnist_all_rotation_normalized_float_train_valid.amat";

    /// <summary>RotatedMNIST test file name.</summary>
    public const string TestFileName = "mnist_all_rotation_normalized_float_test.amat";

    /// <summary>Reads an .amat file of Height x Width images with one integer label each.</summary>
    /// <param name="path">The file, plain or gzip-compressed.</param>
    /// <param name="transpose">True if the file stores each image column-major.</param>
    /// <param name="maxRows">Stop after this many data rows (the rest of the file is not read).</param>
    /// <param name="height">Image height (rows).</param>
    /// <param name="width">Image width (columns).</param>
    /// <param name="numClasses">Labels must be integers in 0..numClasses-1.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Wrong number of values on a line, non-numeric text, a non-integer or out-of-range label, or no data.</exception>
    public static ImageDataSet Read(string path, bool transpose = false, int maxRows = int.MaxValue, int height = 28, int width = 28, int numClasses = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, 1);

        int size = height * width;
        int expectedFields = size + 1;
        var pixels = new List<float>();
        var labels = new List<int>();
        var row = new float[size];
        using StreamReader reader = DataFile.OpenText(path);
        long lineNumber = 0;
        string? line;
        while (labels.Count < maxRows && (line = ReadLine(reader, path)) != null)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line.AsSpan().Trim();
            if (text.IsEmpty || text[0] == '#')
            {
                continue;
            }

            int field = 0;
            double label = 0;
            while (!text.IsEmpty)
            {
                int end = text.IndexOfAny(' ', '\t');
                ReadOnlySpan<char> token = end < 0 ? text : text[..end];
                text = end < 0 ? ReadOnlySpan<char>.Empty : text[end..].TrimStart();
                if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                {
                    throw new InvalidDataException(
                        $"{path}, line {lineNumber}: expected a finite decimal number in field {field + 1}, found '{Shorten(token)}'.");
                }

                if (field < size)
                {
                    int target = transpose ? ((field % height) * width) + (field / height) : field;
                    row[target] = (float)value;
                }
                else if (field == size)
                {
                    label = value;
                }

                field++;
            }

            if (field != expectedFields)
            {
                throw new InvalidDataException(
                    $"{path}, line {lineNumber}: expected {expectedFields} values ({height}x{width} pixels and a label), found {field}.");
            }

            if (label != Math.Floor(label) || label < 0 || label >= numClasses)
            {
                throw new InvalidDataException(
                    $"{path}, line {lineNumber}: expected an integer label in 0..{numClasses - 1}, found {label.ToString(CultureInfo.InvariantCulture)}.");
            }

            pixels.AddRange(row);
            labels.Add((int)label);
        }

        if (labels.Count == 0)
        {
            throw new InvalidDataException($"{path}: expected at least one data row of {expectedFields} values, found none.");
        }

        return new ImageDataSet(pixels.ToArray(), labels.ToArray(), 1, height, width);
    }

    private static string? ReadLine(StreamReader reader, string path)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{path}: expected valid gzip data, but decompression failed: {ex.Message}", ex);
        }
    }

    private static string Shorten(ReadOnlySpan<char> token) => token.Length <= 40 ? token.ToString() : string.Concat(token[..40], "...");
}

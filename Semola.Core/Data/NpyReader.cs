using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Semola.Core.Data;

/// <summary>
/// A strict reader of NumPy .npy files (format versions 1, 2 and 3): the magic <c>\x93NUMPY</c>, the
/// version, the header length, a header dictionary with 'descr', 'fortran_order' and 'shape', then the
/// elements in C order. Supported types: float32/float64, signed and unsigned integers of 1, 2, 4 and 8
/// bytes and booleans, in either byte order. Fortran-ordered arrays, other types and a data length that
/// differs from the shape by even one byte are an <see cref="InvalidDataException"/> naming the source.
/// </summary>
public static partial class NpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=])([a-zA-Z])(\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    /// <summary>Reads a .npy file (plain or gzip-compressed, detected by content).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a well-formed .npy file of a supported type.</exception>
    public static NpyArray Read(string path) => Parse(DataFile.ReadAllBytes(path), path);

    /// <summary>Parses the bytes of a .npy file; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed .npy file of a supported type.</exception>
    public static NpyArray Parse(ReadOnlyMemory<byte> bytes, string source)
    {
        var h = ParseHeader(bytes.Span, source);
        long needed = h.Count * h.ItemSize;
        long found = bytes.Length - h.DataStart;
        if (needed != found)
        {
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", h.Shape)}) of {h.ItemSize}-byte items needs {needed} data bytes, found {found} (a truncated or extended file, or a wrong shape in the header).");
        }

        return new NpyArray(source, h.Kind, h.ItemSize, h.BigEndian, h.Shape, bytes[h.DataStart..]);
    }

    /// <summary>
    /// Reads a .npy array from a stream: the whole array, which must end exactly where the stream ends, or,
    /// when <paramref name="maxRows"/> is positive and smaller than the first dimension, only the first
    /// <paramref name="maxRows"/> entries along the first axis (the rest of the stream is not read).
    /// </summary>
    /// <exception cref="InvalidDataException">Malformed header, unsupported type, or too few or too many bytes.</exception>
    public static NpyArray Read(Stream stream, string source, int maxRows = 0)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[12];
        int got = stream.ReadAtLeast(prefix, 12, throwOnEndOfStream: false);
        if (got < 10 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a .npy file (missing the \\x93NUMPY magic).");
        }

        int headerStart = got >= 7 && prefix[6] == 1 ? 10 : 12;
        long headerLength = got < 10 ? 0 : headerStart == 10 ? BinaryPrimitives.ReadUInt16LittleEndian(prefix.AsSpan(8)) : got < 12 ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(prefix.AsSpan(8));
        if (headerLength > 1 << 24)
        {
            throw new InvalidDataException($"{source}: implausible .npy header length {headerLength}.");
        }

        var head = new byte[headerStart + headerLength];
        int copy = Math.Min(got, head.Length);
        prefix.AsSpan(0, copy).CopyTo(head);
        int more = copy == head.Length ? 0 : stream.ReadAtLeast(head.AsSpan(copy), head.Length - copy, throwOnEndOfStream: false);
        var h = ParseHeader(head.AsSpan(0, copy + more), source);
        var leftover = prefix.AsSpan(copy, got - copy); // data bytes already read with the prefix
        var shape = (int[])h.Shape.Clone();
        bool partial = maxRows > 0 && shape.Length > 0 && maxRows < shape[0];
        if (partial)
        {
            shape[0] = maxRows;
        }

        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
        }

        var data = new byte[count * h.ItemSize];
        int have = Math.Min(leftover.Length, data.Length);
        leftover[..have].CopyTo(data);
        int read = have + stream.ReadAtLeast(data.AsSpan(have), data.Length - have, throwOnEndOfStream: false);
        if (read < data.Length)
        {
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", h.Shape)}) of {h.ItemSize}-byte items needs {h.Count * h.ItemSize} data bytes, found fewer (a truncated file, or a wrong shape in the header).");
        }

        if (!partial && (leftover.Length > have || stream.ReadByte() >= 0))
        {
            throw new InvalidDataException(
                $"{source}: shape ({string.Join(", ", h.Shape)}) of {h.ItemSize}-byte items needs {h.Count * h.ItemSize} data bytes, found more (trailing bytes, or a wrong shape in the header).");
        }

        return new NpyArray(source, h.Kind, h.ItemSize, h.BigEndian, shape, data);
    }

    private readonly record struct Header(char Kind, int ItemSize, bool BigEndian, int[] Shape, long Count, int DataStart);

    private static Header ParseHeader(ReadOnlySpan<byte> span, string source)
    {
        if (span.Length < 10 || !span[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a .npy file (missing the \\x93NUMPY magic).");
        }

        int major = span[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(span[8..]);
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            if (span.Length < 12)
            {
                throw new InvalidDataException($"{source}: truncated .npy header.");
            }

            long len = BinaryPrimitives.ReadUInt32LittleEndian(span[8..]);
            if (len > int.MaxValue)
            {
                throw new InvalidDataException($"{source}: implausible .npy header length {len}.");
            }

            headerLength = (int)len;
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{source}: unsupported .npy format version {major}.");
        }

        if ((long)headerStart + headerLength > span.Length)
        {
            throw new InvalidDataException($"{source}: truncated .npy header ({headerLength} bytes announced, {span.Length - headerStart} present).");
        }

        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(span.Slice(headerStart, headerLength));
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"{source}: malformed .npy header, or an unsupported (e.g. structured) dtype: '{header.Trim()}'.");
        }

        char order = descr.Groups[1].Value[0];
        char kind = descr.Groups[2].Value[0];
        int width = int.Parse(descr.Groups[3].Value, CultureInfo.InvariantCulture);
        bool supported = kind switch
        {
            'f' => width is 4 or 8,
            'i' or 'u' => width is 1 or 2 or 4 or 8,
            'b' => width == 1,
            _ => false,
        };
        if (!supported)
        {
            throw new InvalidDataException($"{source}: dtype '{order}{kind}{width}' is not supported; expected float32/float64, an integer type or bool.");
        }

        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{source}: Fortran-ordered arrays are not supported; save the array in C order.");
        }

        var dims = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        long numel = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!int.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                throw new InvalidDataException($"{source}: shape entry '{dims[i]}' is not a non-negative integer.");
            }

            numel *= shape[i];
            if (numel * width > Array.MaxLength)
            {
                throw new InvalidDataException($"{source}: shape ({shapeMatch.Groups[1].Value}) is too large to hold in memory.");
            }
        }

        bool bigEndian = width > 1 && (order == '>' || (order == '=' && !BitConverter.IsLittleEndian));
        return new Header(kind, width, bigEndian, shape, numel, headerStart + headerLength);
    }
}

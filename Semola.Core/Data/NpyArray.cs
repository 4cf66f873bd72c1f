using System.Buffers.Binary;

namespace Semola.Core.Data;

/// <summary>
/// One array read from a NumPy .npy file: its element type, shape (C order) and raw element bytes.
/// Convert with <see cref="ToSingles"/>, <see cref="ToInt64"/> or read <see cref="Data"/> directly for
/// single-byte types.
/// </summary>
public sealed class NpyArray
{
    internal NpyArray(string source, char kind, int itemSize, bool bigEndian, int[] shape, ReadOnlyMemory<byte> data)
    {
        Source = source;
        Kind = kind;
        ItemSize = itemSize;
        BigEndian = bigEndian;
        Shape = shape;
        Data = data;
    }

    /// <summary>Where the array came from (a path, or "archive.npz:name.npy"), used in error messages.</summary>
    public string Source { get; }

    /// <summary>The NumPy type kind: 'f' float, 'i' signed integer, 'u' unsigned integer, 'b' boolean.</summary>
    public char Kind { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>True when multi-byte elements are stored big-endian.</summary>
    public bool BigEndian { get; }

    /// <summary>The shape (empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>Number of elements (the product of the shape).</summary>
    public long Count => Data.Length / ItemSize;

    /// <summary>The raw element bytes in C order, <see cref="Count"/> x <see cref="ItemSize"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The NumPy type string, e.g. "&lt;f4" or "|u1".</summary>
    public string DType => $"{(ItemSize == 1 ? '|' : BigEndian ? '>' : '<')}{Kind}{ItemSize}";

    /// <summary>The shape as NumPy prints it, e.g. "(2, 3)" or "(5,)".</summary>
    public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";

    /// <summary>True for float32 or float64.</summary>
    public bool IsFloat => Kind == 'f' && ItemSize is 4 or 8;

    /// <summary>True for any signed or unsigned integer or boolean type.</summary>
    public bool IsInteger => Kind is 'i' or 'u' or 'b';

    /// <summary>The elements as floats; float32 or float64 only, every value finite.</summary>
    /// <exception cref="InvalidDataException">Another type, or a value that is not finite (named with <see cref="Source"/>).</exception>
    public float[] ToSingles()
    {
        if (!IsFloat)
        {
            throw new InvalidDataException($"{Source}: dtype '{DType}' is not supported here; expected float32 or float64.");
        }

        var span = Data.Span;
        var result = new float[Count];
        for (int i = 0; i < result.Length; i++)
        {
            double v = ItemSize == 4
                ? (BigEndian ? BinaryPrimitives.ReadSingleBigEndian(span[(i * 4)..]) : BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]))
                : (BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(span[(i * 8)..]) : BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]));
            if (!double.IsFinite(v))
            {
                throw new InvalidDataException($"{Source}: value {i} is not finite.");
            }

            result[i] = (float)v;
        }

        return result;
    }

    /// <summary>The elements as 64-bit integers; integer or boolean types only (uint64 values above long.MaxValue are refused).</summary>
    /// <exception cref="InvalidDataException">Another type, or a uint64 value out of range.</exception>
    public long[] ToInt64()
    {
        if (!IsInteger)
        {
            throw new InvalidDataException($"{Source}: dtype '{DType}' is not supported here; expected an integer type.");
        }

        var span = Data.Span;
        var result = new long[Count];
        for (int i = 0; i < result.Length; i++)
        {
            var e = span.Slice(i * ItemSize, ItemSize);
            result[i] = (Kind, ItemSize) switch
            {
                ('u' or 'b', 1) => e[0],
                ('i', 1) => (sbyte)e[0],
                ('u', 2) => BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(e) : BinaryPrimitives.ReadUInt16LittleEndian(e),
                ('i', 2) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(e) : BinaryPrimitives.ReadInt16LittleEndian(e),
                ('u', 4) => BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(e) : BinaryPrimitives.ReadUInt32LittleEndian(e),
                ('i', 4) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(e) : BinaryPrimitives.ReadInt32LittleEndian(e),
                ('i', 8) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(e) : BinaryPrimitives.ReadInt64LittleEndian(e),
                ('u', 8) => ToSigned(BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(e) : BinaryPrimitives.ReadUInt64LittleEndian(e), i),
                _ => throw new InvalidDataException($"{Source}: dtype '{DType}' is not supported."),
            };
        }

        return result;
    }

    private long ToSigned(ulong value, int index) =>
        value <= long.MaxValue ? (long)value : throw new InvalidDataException($"{Source}: value {index} ({value}) is too large.");
}

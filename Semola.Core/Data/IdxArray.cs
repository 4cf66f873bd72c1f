namespace Semola.Core.Data;

/// <summary>The content of an unsigned-byte IDX file: its dimensions and its data bytes.</summary>
public sealed class IdxArray
{
    /// <summary>Wraps dimensions and data (no copy).</summary>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        long product = 1;
        foreach (int d in dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(dimensions));
            product *= d;
        }

        if (product != data.LongLength)
        {
            throw new ArgumentException($"Dimensions [{string.Join(", ", dimensions)}] need {product} bytes, found {data.LongLength}.", nameof(data));
        }

        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>Sizes of the dimensions, outermost first (e.g. count, rows, columns).</summary>
    public int[] Dimensions { get; }

    /// <summary>The values, last dimension fastest.</summary>
    public byte[] Data { get; }

    /// <summary>The IDX magic number of this array: 0x00000800 + number of dimensions.</summary>
    public int Magic => 0x0800 + Dimensions.Length;
}

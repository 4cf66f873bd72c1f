namespace Semola.Kernels.Ilgpu;

/// <summary>
/// An iteration shape of up to eight dimensions with the element strides of two operands, passed to
/// kernels by value. Dimensions are coalesced first and right-aligned; unused leading ones have size 1.
/// </summary>
internal struct IterationSpace
{
    /// <summary>Most dimensions a kernel iterates over after coalescing.</summary>
    public const int MaxRank = 8;

    public int D0, D1, D2, D3, D4, D5, D6, D7;
    public int A0, A1, A2, A3, A4, A5, A6, A7;
    public int B0, B1, B2, B3, B4, B5, B6, B7;

    /// <summary>Builds the space for <paramref name="shape"/> and the strides of operands a and b.</summary>
    public static IterationSpace Create(int[] shape, int[] a, int[] b)
    {
        var (dims, strides) = Layout.Coalesce(shape, a, b);
        if (dims.Length > MaxRank)
        {
            throw new ArgumentException($"Shape {Layout.Format(shape)} has {dims.Length} non-mergeable dimensions; the ILGPU kernels take at most {MaxRank}.");
        }
        var d = new int[MaxRank];
        var sa = new int[MaxRank];
        var sb = new int[MaxRank];
        Array.Fill(d, 1);
        int shift = MaxRank - dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            d[shift + i] = dims[i];
            sa[shift + i] = strides[0][i];
            sb[shift + i] = strides[1][i];
        }
        return new IterationSpace
        {
            D0 = d[0], A0 = sa[0], B0 = sb[0],
            D1 = d[1], A1 = sa[1], B1 = sb[1],
            D2 = d[2], A2 = sa[2], B2 = sb[2],
            D3 = d[3], A3 = sa[3], B3 = sb[3],
            D4 = d[4], A4 = sa[4], B4 = sb[4],
            D5 = d[5], A5 = sa[5], B5 = sb[5],
            D6 = d[6], A6 = sa[6], B6 = sb[6],
            D7 = d[7], A7 = sa[7], B7 = sb[7],
        };
    }

    /// <summary>Element offsets of operands a and b at row-major position <paramref name="linear"/>.</summary>
    public readonly void Offsets(int linear, out int a, out int b)
    {
        int r = linear;
        int q;
        a = 0;
        b = 0;
        q = r % D7;
        r /= D7;
        a += q * A7;
        b += q * B7;
        q = r % D6;
        r /= D6;
        a += q * A6;
        b += q * B6;
        q = r % D5;
        r /= D5;
        a += q * A5;
        b += q * B5;
        q = r % D4;
        r /= D4;
        a += q * A4;
        b += q * B4;
        q = r % D3;
        r /= D3;
        a += q * A3;
        b += q * B3;
        q = r % D2;
        r /= D2;
        a += q * A2;
        b += q * B2;
        q = r % D1;
        r /= D1;
        a += q * A1;
        b += q * B1;
        a += r * A0;
        b += r * B0;
    }
}

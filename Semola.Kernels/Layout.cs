namespace Semola.Kernels;

/// <summary>Shape and stride arithmetic shared by all backends.</summary>
public static class Layout
{
    /// <summary>Row-major strides for <paramref name="shape"/>.</summary>
    public static int[] ContiguousStrides(int[] shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>Number of elements of <paramref name="shape"/> (1 for a scalar).</summary>
    public static int Numel(int[] shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            n *= d;
        }
        if (n > int.MaxValue)
        {
            throw new ArgumentException($"Shape {Format(shape)} has {n} elements; at most {int.MaxValue} are supported.");
        }
        return (int)n;
    }

    /// <summary>True when the strides are row-major contiguous for the shape (size-1 dims ignored).</summary>
    public static bool IsContiguous(int[] shape, int[] strides)
    {
        int expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1)
            {
                continue;
            }
            if (strides[i] != expected)
            {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    /// <summary>Formats a shape as [a, b, c].</summary>
    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>
    /// Merges adjacent dimensions that are contiguous for every operand and drops size-1 dimensions,
    /// so kernels iterate over as few, as long rows as possible.
    /// </summary>
    public static (int[] Shape, int[][] Strides) Coalesce(int[] shape, params int[][] strides)
    {
        var dims = new List<int>();
        var st = new List<int>[strides.Length];
        for (int o = 0; o < strides.Length; o++)
        {
            st[o] = new List<int>();
        }
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == 1)
            {
                continue;
            }
            if (dims.Count > 0)
            {
                int last = dims.Count - 1;
                bool merge = true;
                for (int o = 0; o < strides.Length; o++)
                {
                    if (st[o][last] != strides[o][i] * shape[i])
                    {
                        merge = false;
                        break;
                    }
                }
                if (merge)
                {
                    dims[last] *= shape[i];
                    for (int o = 0; o < strides.Length; o++)
                    {
                        st[o][last] = strides[o][i];
                    }
                    continue;
                }
            }
            dims.Add(shape[i]);
            for (int o = 0; o < strides.Length; o++)
            {
                st[o].Add(strides[o][i]);
            }
        }
        if (dims.Count == 0)
        {
            dims.Add(1);
            for (int o = 0; o < strides.Length; o++)
            {
                st[o].Add(1);
            }
        }
        var outStrides = new int[strides.Length][];
        for (int o = 0; o < strides.Length; o++)
        {
            outStrides[o] = st[o].ToArray();
        }
        return (dims.ToArray(), outStrides);
    }
}

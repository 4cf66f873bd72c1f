namespace Semola.Kernels;

/// <summary>
/// How a kernel reads (or writes) an operand: a buffer, an element offset and one stride per
/// dimension of the iteration shape (a stride of 0 broadcasts).
/// </summary>
public readonly struct StridedView
{
    /// <summary>Creates a view.</summary>
    public StridedView(DeviceBuffer buffer, int offset, int[] strides)
    {
        Buffer = buffer;
        Offset = offset;
        Strides = strides;
    }

    /// <summary>The memory.</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>Element offset of index (0, ..., 0).</summary>
    public int Offset { get; }

    /// <summary>Element stride per dimension.</summary>
    public int[] Strides { get; }

    /// <summary>A contiguous row-major view of <paramref name="shape"/> starting at <paramref name="offset"/>.</summary>
    public static StridedView Contiguous(DeviceBuffer buffer, int[] shape, int offset = 0) => new(buffer, offset, Layout.ContiguousStrides(shape));
}

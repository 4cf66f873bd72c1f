using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// A growable float scratch buffer whose storage lives on the pinned object heap, so a raw
/// pointer to it stays valid for as long as the buffer object is alive. The pointer is
/// aligned to 64 bytes (one cache line). Not thread-safe: keep one instance per thread.
/// </summary>
internal sealed unsafe class AlignedBuffer
{
    private const int AlignFloats = 16;

    private float[]? _array;
    private float* _aligned;
    private long _capacity;

    /// <summary>Returns a 64-byte aligned pointer to at least <paramref name="count"/> floats.
    /// Contents are unspecified. Growing discards the previous contents.</summary>
    public float* Get(long count)
    {
        if (count > _capacity)
        {
            long cap = Math.Max(count, _capacity + _capacity / 2);
            if (cap + AlignFloats > Array.MaxLength)
            {
                throw new OutOfMemoryException("Scratch buffer request is too large.");
            }

            _array = GC.AllocateUninitializedArray<float>((int)(cap + AlignFloats), pinned: true);
            nint p = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
            nint aligned = (p + 63) & ~(nint)63;
            _aligned = (float*)aligned;
            _capacity = cap;
        }

        return _aligned;
    }
}

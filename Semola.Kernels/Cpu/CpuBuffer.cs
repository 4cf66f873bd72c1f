namespace Semola.Kernels.Cpu;

/// <summary>A CPU buffer: a pinned float array taken from the backend's pool.</summary>
public sealed unsafe class CpuBuffer : DeviceBuffer
{
    private readonly CpuBackend _owner;
    private readonly float[] _array;

    internal CpuBuffer(CpuBackend owner, float[] array, int length)
        : base(owner.Device, length)
    {
        _owner = owner;
        _array = array;
    }

    /// <summary>The elements (throws once released).</summary>
    public Span<float> Span
    {
        get
        {
            ThrowIfDisposed();
            return new Span<float>(_array, 0, Length);
        }
    }

    /// <summary>A raw pointer to element 0; valid while the buffer lives (the array is pinned).</summary>
    public float* Pointer
    {
        get
        {
            ThrowIfDisposed();
            return (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(_array));
        }
    }

    /// <inheritdoc />
    protected override void Release() => _owner.Return(_array, Length);
}

using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// A buffer on an ILGPU accelerator: a dense 1D float allocation taken from the backend's
/// size-keyed pool and returned to it on <see cref="DeviceBuffer.Dispose"/>.
/// </summary>
public sealed class IlgpuBuffer : DeviceBuffer
{
    private readonly IlgpuBackend _owner;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _memory;

    internal IlgpuBuffer(IlgpuBackend owner, MemoryBuffer1D<float, Stride1D.Dense> memory, int length)
        : base(owner.Device, length)
    {
        _owner = owner;
        _memory = memory;
    }

    /// <summary>
    /// The buffer's elements as a kernel argument (throws once released): the first
    /// <see cref="DeviceBuffer.Length"/> (at least one) of the allocation, which a pooled buffer may
    /// make longer.
    /// </summary>
    public ArrayView<float> View
    {
        get
        {
            ThrowIfDisposed();
            return _memory.View.AsContiguous().SubView(0, Math.Max(Length, 1));
        }
    }

    internal MemoryBuffer1D<float, Stride1D.Dense> Memory
    {
        get
        {
            ThrowIfDisposed();
            return _memory;
        }
    }

    /// <inheritdoc />
    protected override void Release() => _owner.Return(_memory, Length);
}

namespace Semola.Kernels;

/// <summary>
/// A flat block of float32 memory on one device. Buffers are freed deterministically with
/// <see cref="Dispose"/> (usually by a tensor scope); using a freed buffer throws.
/// </summary>
public abstract class DeviceBuffer : IDisposable
{
    private int _disposed;

    /// <summary>Creates a buffer record for <paramref name="length"/> floats on <paramref name="device"/>.</summary>
    protected DeviceBuffer(Device device, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Device = device;
        Length = length;
    }

    /// <summary>The device that owns the memory.</summary>
    public Device Device { get; }

    /// <summary>Number of float elements.</summary>
    public int Length { get; }

    /// <summary>True once the buffer has been released.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Throws <see cref="ObjectDisposedException"/> if the buffer was released.</summary>
    public void ThrowIfDisposed()
    {
        if (IsDisposed)
        {
            throw new ObjectDisposedException(GetType().Name, "The buffer was released (its tensor scope ended); keep the tensor with TensorScope.Keep or create it outside the scope.");
        }
    }

    /// <summary>Releases the memory (returns it to the device's pool). Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Release();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Returns the memory to its owner. Called once.</summary>
    protected abstract void Release();
}

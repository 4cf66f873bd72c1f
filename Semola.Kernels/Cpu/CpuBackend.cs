namespace Semola.Kernels.Cpu;

/// <summary>
/// The managed CPU backend: SIMD loops (System.Numerics.Vector), parallel (<see cref="WorkQueue"/>) above a size threshold,
/// cache-blocked GEMM, im2col convolution, and a size-keyed buffer pool so steady-state training
/// steps do not allocate (a request with no free array of its size takes one up to half as long again).
/// </summary>
public sealed partial class CpuBackend : Backend
{
    /// <summary>Elementwise work below this many elements runs on one thread.</summary>
    public const int ParallelThreshold = 1 << 15;

    private const long MaxPooledElements = 1L << 28;
    private readonly BufferPool<float[]> _pool = new(a => a.Length, MaxPooledElements);
    private readonly object _poolLock = new();

    /// <summary>Creates the CPU backend (use <see cref="Device.Cpu"/>).</summary>
    public CpuBackend(Device device)
        : base(device)
    {
    }

    /// <summary>Number of worker threads used for parallel kernels.</summary>
    public static int Threads => Environment.ProcessorCount;

    /// <inheritdoc />
    public override DeviceBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int size = Math.Max(length, 1);
        float[]? array;
        lock (_poolLock)
        {
            array = _pool.Take(size);
        }
        array ??= GC.AllocateUninitializedArray<float>(size, pinned: true);
        CountAllocation(length);
        return new CpuBuffer(this, array, length);
    }

    internal void Return(float[] array, int length)
    {
        CountRelease(length);
        lock (_poolLock)
        {
            _pool.Add(array);
        }
    }

    /// <summary>Drops every pooled (free) array so the GC can reclaim them.</summary>
    public void TrimPool()
    {
        lock (_poolLock)
        {
            _pool.Clear();
        }
    }

    internal static CpuBuffer Cast(DeviceBuffer buffer, string op)
    {
        if (buffer is CpuBuffer cpu)
        {
            cpu.ThrowIfDisposed();
            return cpu;
        }
        throw new ArgumentException($"{op}: a buffer on device '{buffer.Device}' was passed to the CPU backend.");
    }

    /// <inheritdoc />
    public override void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset) =>
        src.CopyTo(Cast(dst, nameof(Upload)).Span.Slice(dstOffset));

    /// <inheritdoc />
    public override void Download(DeviceBuffer src, int srcOffset, Span<float> dst) =>
        Cast(src, nameof(Download)).Span.Slice(srcOffset, dst.Length).CopyTo(dst);

    /// <inheritdoc />
    public override void Fill(DeviceBuffer dst, int offset, int count, float value) =>
        Cast(dst, nameof(Fill)).Span.Slice(offset, count).Fill(value);
}

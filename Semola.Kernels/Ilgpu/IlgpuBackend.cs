using ILGPU;
using ILGPU.Runtime;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// The ILGPU backend: every <see cref="Backend"/> kernel as an ILGPU kernel on one accelerator (CUDA,
/// OpenCL, or ILGPU's CPU accelerator, a simulator used to check kernels). Kernels are compiled once per
/// accelerator, on first use, into typed launchers kept in fields; launches go to the accelerator's
/// default stream in order, and downloads synchronise. Buffers come from a size-keyed pool so that
/// steady-state training steps allocate no device memory. Disposal frees pooled memory, then the
/// accelerator, then the context when this backend owns it.
/// </summary>
public sealed partial class IlgpuBackend : Backend
{
    private const long MaxPooledElements = 1L << 30;
    private readonly BufferPool<MemoryBuffer1D<float, Stride1D.Dense>> _pool = new(m => (int)m.Length, MaxPooledElements);
    private readonly Dictionary<Type, Delegate> _genericKernels = new();
    private readonly object _lock = new();
    private readonly Context? _ownedContext;
    private MemoryBuffer1D<int, Stride1D.Dense>? _intScratch;
    private MemoryBuffer1D<double, Stride1D.Dense>? _doubleScratch;
    private bool _disposed;
    private long _deviceAllocations;

    /// <summary>
    /// Creates a backend over <paramref name="accelerator"/>. When <paramref name="ownedContext"/> is
    /// given it is disposed after the accelerator.
    /// </summary>
    public IlgpuBackend(Device device, Accelerator accelerator, Context? ownedContext = null)
        : base(device)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        Accelerator = accelerator;
        _ownedContext = ownedContext;
        GroupSize = ReductionGroupSizeFor(accelerator.MaxNumThreadsPerGroup);
        GemmEdge = GemmEdgeFor(accelerator.AcceleratorType == AcceleratorType.CPU, accelerator.MaxNumThreadsPerGroup);
    }

    /// <summary>Threads per group of the reduction and batch-norm kernels on a device with this group limit.</summary>
    internal static int ReductionGroupSizeFor(int maxThreadsPerGroup) =>
        (int)Math.Min(ReduceGroupSize, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(maxThreadsPerGroup, 1) + 1) / 2);

    /// <summary>
    /// Edge of the square GEMM thread group on a device with this group limit: 16 x 16 on GPUs; the CPU
    /// simulator pays per thread at every barrier, so it uses 4 x 4.
    /// </summary>
    internal static int GemmEdgeFor(bool simulator, int maxThreadsPerGroup)
    {
        int edge = simulator ? 4 : 16;
        while (edge > 1 && edge * edge > maxThreadsPerGroup)
        {
            edge /= 2;
        }
        return edge;
    }

    /// <summary>
    /// The most shared (local) memory one group of any kernel uses, in bytes, with a GEMM group of
    /// <paramref name="gemmEdge"/> x <paramref name="gemmEdge"/> threads: the GEMM tiles, the reductions'
    /// values and arguments, and the batch norm's and sum of squares' double partial sums.
    /// </summary>
    internal static long SharedMemoryBytes(int gemmEdge) =>
        Math.Max((long)GemmKernels.SharedFloats(gemmEdge) * sizeof(float),
            Math.Max(ReduceKernels.MaxGroup * (long)(sizeof(float) + sizeof(int)), ReduceKernels.MaxGroup * (long)sizeof(double)));

    /// <summary>
    /// Deterministic mode (off by default): the kernels that otherwise accumulate with float atomics (the
    /// image gradient of the affine grid sampling and index add) gather instead, in a fixed order, so
    /// that every kernel of this backend gives the same bits for the same inputs on the same device, run
    /// after run, at some cost in speed. The other kernels (reductions, GEMM and so the convolution and
    /// linear weight gradients, batch norm, the theta gradient) use no atomics and are deterministic
    /// either way. Set it before training; it can be changed between kernel launches.
    /// </summary>
    public bool Deterministic { get; set; }

    /// <summary>The ILGPU accelerator that runs the kernels.</summary>
    public Accelerator Accelerator { get; }

    /// <summary>Device allocations made so far (pool misses); constant across steady-state training steps.</summary>
    public long DeviceAllocations => Interlocked.Read(ref _deviceAllocations);

    /// <summary>Threads per group of the reduction kernels (a power of two, at most 256).</summary>
    internal int GroupSize { get; }

    /// <summary>Edge of the square GEMM thread group (each thread computes 4 x 4 outputs).</summary>
    internal int GemmEdge { get; }

    private AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <inheritdoc />
    public override DeviceBuffer Allocate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ObjectDisposedException.ThrowIf(_disposed, this);
        int size = Math.Max(length, 1);
        MemoryBuffer1D<float, Stride1D.Dense>? memory;
        lock (_lock)
        {
            memory = _pool.Take(size);
        }
        if (memory is null)
        {
            memory = Accelerator.Allocate1D<float>(size);
            Interlocked.Increment(ref _deviceAllocations);
        }
        CountAllocation(length);
        return new IlgpuBuffer(this, memory, length);
    }

    internal void Return(MemoryBuffer1D<float, Stride1D.Dense> memory, int length)
    {
        CountRelease(length);
        bool kept;
        lock (_lock)
        {
            kept = !_disposed && _pool.Add(memory);
        }
        if (!kept)
        {
            memory.Dispose();
        }
    }

    /// <summary>Frees every pooled (unused) allocation.</summary>
    public void TrimPool()
    {
        List<MemoryBuffer1D<float, Stride1D.Dense>> free;
        lock (_lock)
        {
            free = _pool.Clear();
        }
        foreach (var memory in free)
        {
            memory.Dispose();
        }
    }

    /// <summary>Waits until every launched kernel and copy has finished.</summary>
    public void Synchronize() => Accelerator.Synchronize();

    internal static IlgpuBuffer Cast(DeviceBuffer buffer, string op)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer is IlgpuBuffer b)
        {
            b.ThrowIfDisposed();
            return b;
        }
        throw new ArgumentException($"{op}: a buffer on device '{buffer.Device}' was passed to an ILGPU backend.");
    }

    private static ArrayView<float> V(DeviceBuffer buffer, string op) => Cast(buffer, op).View;

    /// <summary>An int scratch buffer holding <paramref name="values"/> (reused across calls, in stream order).</summary>
    private ArrayView<int> UploadInts(ReadOnlySpan<int> values)
    {
        int need = Math.Max(values.Length, 1);
        if (_intScratch is null || _intScratch.Length < need)
        {
            _intScratch?.Dispose();
            _intScratch = Accelerator.Allocate1D<int>(Math.Max(need, 1024));
        }
        if (values.Length > 0)
        {
            _intScratch.View.SubView(0, values.Length).CopyFromCPU(Stream, values);
        }
        return _intScratch.View.AsContiguous();
    }

    /// <summary>A double scratch buffer of at least <paramref name="length"/> elements (reused, in stream order).</summary>
    private ArrayView<double> DoubleScratch(long length)
    {
        long need = Math.Max(length, 1);
        if (_doubleScratch is null || _doubleScratch.Length < need)
        {
            _doubleScratch?.Dispose();
            _doubleScratch = Accelerator.Allocate1D<double>(Math.Max(need, 1024));
        }
        return _doubleScratch.View.AsContiguous();
    }

    /// <summary>Returns the launcher cached under <typeparamref name="TOp"/>, loading it on first use.</summary>
    private TDelegate GenericKernel<TOp, TDelegate>(Func<TDelegate> load)
        where TDelegate : Delegate
    {
        lock (_lock)
        {
            if (!_genericKernels.TryGetValue(typeof((TOp, TDelegate)), out var d))
            {
                d = load();
                _genericKernels[typeof((TOp, TDelegate))] = d;
            }
            return (TDelegate)d;
        }
    }

    /// <summary>Returns <paramref name="field"/>, loading the kernel into it on first use.</summary>
    private T Kernel<T>(ref T? field, Func<Accelerator, T> load)
        where T : class
    {
        if (field is null)
        {
            lock (_lock)
            {
                field ??= load(Accelerator);
            }
        }
        return field;
    }

    /// <inheritdoc />
    public override void Upload(ReadOnlySpan<float> src, DeviceBuffer dst, int dstOffset)
    {
        if (src.Length == 0)
        {
            return;
        }
        Cast(dst, nameof(Upload)).Memory.View.SubView(dstOffset, src.Length).CopyFromCPU(Stream, src);
    }

    /// <inheritdoc />
    public override void Download(DeviceBuffer src, int srcOffset, Span<float> dst)
    {
        if (dst.Length == 0)
        {
            return;
        }
        Cast(src, nameof(Download)).Memory.View.SubView(srcOffset, dst.Length).CopyToCPU(Stream, dst);
        Stream.Synchronize();
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        Accelerator.Synchronize();
        TrimPool();
        _intScratch?.Dispose();
        _doubleScratch?.Dispose();
        Accelerator.Dispose();
        _ownedContext?.Dispose();
        base.Dispose();
    }
}

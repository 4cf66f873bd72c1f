using System.Globalization;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.OpenCL;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// Finds ILGPU accelerators and turns them into <see cref="Device"/>s: "cuda[:i]" (NVIDIA GPUs),
/// "opencl[:i]" (OpenCL devices with OpenCL C 2.0+ and a generic address space), "ilgpu-cpu" (ILGPU's
/// CPU accelerator, a slow kernel simulator) and "auto" (CUDA if present, else a usable OpenCL GPU, else
/// the managed CPU backend). <see cref="Register"/> plugs this into <see cref="DeviceSelector"/>.
/// Devices returned by <see cref="Select"/> are created once and live for the whole process.
/// </summary>
public static class IlgpuDevices
{
    private static readonly object Lock = new();
    private static readonly Dictionary<string, Device> Opened = new();
    private static Context? _context;

    /// <summary>Registers the ILGPU provider and lister with <see cref="DeviceSelector"/>.</summary>
    public static void Register()
    {
        DeviceSelector.GpuProvider = Select;
        DeviceSelector.GpuLister = List;
    }

    /// <summary>
    /// The CPU accelerator's simulated device: 4-lane warps, 4 warps per multiprocessor (16 threads per
    /// group: every simulated thread is an OS thread that meets the others at each barrier) and two
    /// multiprocessors.
    /// </summary>
    private static CPUDevice SimulatorDevice() => new(4, 4, 2);

    private static Context.Builder Configure(Context.Builder builder, bool gpus)
    {
        if (gpus)
        {
            builder = builder.Cuda().OpenCL(_ => true);
        }
        return builder.CPU(SimulatorDevice()).EnableAlgorithms();
    }

    /// <summary>The process-wide context that enumerates every device (created on first use).</summary>
    private static Context SharedContext
    {
        get
        {
            lock (Lock)
            {
                return _context ??= Context.Create(b => Configure(b, gpus: true));
            }
        }
    }

    /// <summary>
    /// Why the ILGPU kernels cannot run on an OpenCL device, or null when they can; see
    /// <see cref="OpenClRefusal(OpenClCapabilities)"/>.
    /// </summary>
    public static string? OpenClRefusal(CLDevice device) => OpenClRefusal(OpenClCapabilities.FromDevice(device));

    /// <summary>
    /// Why the ILGPU kernels cannot run on a device with these capabilities, naming every missing one, or
    /// null when they can. The kernels need OpenCL C 2.0 or later with the generic address space (ILGPU's
    /// OpenCL code passes generic pointers; NVIDIA's OpenCL and PoCL 3.1 lack it), double precision (the
    /// batch-norm statistics, the matrix exponential and the sum of squares compute in double), enough
    /// local memory per group for the GEMM tiles and the group reductions, and a GEMM thread group that
    /// fits the device's group extents.
    /// </summary>
    public static string? OpenClRefusal(OpenClCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        var missing = new List<string>();
        var minimum = CLBackend.MinimumVersion;
        if (capabilities.CVersionMajor < minimum.Major || (capabilities.CVersionMajor == minimum.Major && capabilities.CVersionMinor < minimum.Minor))
        {
            missing.Add($"OpenCL C {capabilities.CVersionMajor}.{capabilities.CVersionMinor} is older than the {minimum.Major}.{minimum.Minor} that ILGPU needs");
        }
        if (!capabilities.GenericAddressSpace)
        {
            missing.Add("no OpenCL generic address space, which ILGPU's generated code needs");
        }
        if (!capabilities.Float64)
        {
            missing.Add("no double precision (cl_khr_fp64), which the batch-norm and matrix-exponential kernels need");
        }
        int edge = IlgpuBackend.GemmEdgeFor(simulator: false, capabilities.MaxThreadsPerGroup);
        long shared = IlgpuBackend.SharedMemoryBytes(edge);
        if (capabilities.LocalMemoryBytes < shared)
        {
            missing.Add(string.Format(CultureInfo.InvariantCulture,
                "{0} bytes of local memory per work-group, less than the {1} bytes that the GEMM and reduction kernels use", capabilities.LocalMemoryBytes, shared));
        }
        if (capabilities.MaxGroupSizeX < edge || capabilities.MaxGroupSizeY < edge)
        {
            missing.Add(string.Format(CultureInfo.InvariantCulture,
                "work-groups of at most {0} x {1}, smaller than the {2} x {2} GEMM group", capabilities.MaxGroupSizeX, capabilities.MaxGroupSizeY, edge));
        }
        return missing.Count == 0 ? null : string.Join("; ", missing);
    }

    private static string Describe(Accelerator accelerator) =>
        accelerator.AcceleratorType == AcceleratorType.CPU
            ? accelerator.Name + ", simulator"
            : string.Format(CultureInfo.InvariantCulture, "{0}, {1:F1} GiB", accelerator.Name, accelerator.MemorySize / (double)(1L << 30));

    private static string DescribeDevice(ILGPU.Runtime.Device d) =>
        string.Format(CultureInfo.InvariantCulture, "{0}, {1:F1} GiB", d.Name, d.MemorySize / (double)(1L << 30));

    /// <summary>One line per ILGPU device found, with whether it can be used and why not.</summary>
    public static IReadOnlyList<string> List()
    {
        var lines = new List<string>();
        Context context;
        try
        {
            context = SharedContext;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            lines.Add("ILGPU could not enumerate devices: " + e.Message);
            return lines;
        }
        var cuda = context.GetCudaDevices();
        for (int i = 0; i < cuda.Count; i++)
        {
            lines.Add($"cuda:{i}: {DescribeDevice(cuda[i])}");
        }
        if (cuda.Count == 0)
        {
            lines.Add("cuda: none found (needs an NVIDIA GPU and its driver)");
        }
        var cl = context.GetCLDevices();
        for (int i = 0; i < cl.Count; i++)
        {
            string? refusal = OpenClRefusal(cl[i]);
            lines.Add($"opencl:{i}: {DescribeDevice(cl[i])} ({cl[i].DeviceType}, OpenCL C {cl[i].CLStdVersion}) " + (refusal is null ? "usable" : "refused: " + refusal));
        }
        if (cl.Count == 0)
        {
            lines.Add("opencl: none found");
        }
        lines.Add("ilgpu-cpu: ILGPU CPU accelerator (kernel simulator for tests; far slower than cpu)");
        return lines;
    }

    /// <summary>
    /// Resolves "cuda", "opencl", "ilgpu-cpu" or "auto" with an index; null for "auto" when no GPU is usable
    /// (the caller falls back to the CPU). Throws <see cref="ArgumentException"/> saying what was found when
    /// an explicitly requested device is absent or unsupported.
    /// </summary>
    public static Device? Select(string kind, int index)
    {
        ArgumentNullException.ThrowIfNull(kind);
        var context = SharedContext;
        switch (kind)
        {
            case "auto":
            {
                if (context.GetCudaDevices().Count > 0)
                {
                    return Open("cuda", 0);
                }
                var cl = context.GetCLDevices();
                for (int i = 0; i < cl.Count; i++)
                {
                    if (cl[i].DeviceType == CLDeviceType.CL_DEVICE_TYPE_GPU && OpenClRefusal(cl[i]) is null)
                    {
                        return Open("opencl", i);
                    }
                }
                return null;
            }
            case "cuda":
            {
                int count = context.GetCudaDevices().Count;
                if (index >= count)
                {
                    throw new ArgumentException($"Device 'cuda:{index}' is not available: {count} CUDA device(s) found. Devices: {string.Join("; ", List())}.");
                }
                return Open("cuda", index);
            }
            case "opencl":
            {
                var cl = context.GetCLDevices();
                if (index >= cl.Count)
                {
                    throw new ArgumentException($"Device 'opencl:{index}' is not available: {cl.Count} OpenCL device(s) found. Devices: {string.Join("; ", List())}.");
                }
                if (OpenClRefusal(cl[index]) is { } why)
                {
                    throw new ArgumentException($"Device 'opencl:{index}' ({cl[index].Name}) cannot run ILGPU kernels: {why}. Use cuda for NVIDIA cards, or cpu.");
                }
                return Open("opencl", index);
            }
            case "ilgpu-cpu":
                if (index != 0)
                {
                    throw new ArgumentException($"Device 'ilgpu-cpu:{index}' is not available: there is one ILGPU CPU accelerator (index 0).");
                }
                return Open("ilgpu-cpu", 0);
            default:
                return null;
        }
    }

    private static Device Open(string kind, int index)
    {
        string key = kind + ":" + index.ToString(CultureInfo.InvariantCulture);
        lock (Lock)
        {
            if (Opened.TryGetValue(key, out var device))
            {
                return device;
            }
            var context = SharedContext;
            Accelerator accelerator = kind switch
            {
                "cuda" => context.CreateCudaAccelerator(index),
                "opencl" => context.CreateCLAccelerator(index),
                _ => context.CreateCPUAccelerator(0),
            };
            var deviceKind = kind switch
            {
                "cuda" => DeviceKind.Cuda,
                "opencl" => DeviceKind.OpenCL,
                _ => DeviceKind.IlgpuCpu,
            };
            device = Device.Create(deviceKind, index, $"{key} ({Describe(accelerator)})", d => new IlgpuBackend(d, accelerator));
            Opened[key] = device;
            return device;
        }
    }

    /// <summary>
    /// A new ILGPU CPU-accelerator device with its own context, owned by the caller: dispose its
    /// <see cref="Device.Backend"/> to free the buffers, the accelerator and the context (tests do this).
    /// </summary>
    public static Device CreateCpuSimulator()
    {
        var context = Context.Create(b => Configure(b, gpus: false));
        var accelerator = context.CreateCPUAccelerator(0);
        return Device.Create(DeviceKind.IlgpuCpu, 0, $"ilgpu-cpu ({accelerator.Name})", d => new IlgpuBackend(d, accelerator, context));
    }

    /// <summary>
    /// A new CUDA device with its own context, owned by the caller (dispose its backend), or null with
    /// the reason when this machine has no CUDA device.
    /// </summary>
    public static Device? TryCreateCuda(int index, out string reason)
    {
        Context? context = null;
        try
        {
            context = Context.Create(b => b.Cuda().EnableAlgorithms());
            var devices = context.GetCudaDevices();
            if (index >= devices.Count)
            {
                reason = devices.Count == 0 ? "no CUDA device found (needs an NVIDIA GPU and its driver)" : $"only {devices.Count} CUDA device(s) found";
                context.Dispose();
                return null;
            }
            var accelerator = context.CreateCudaAccelerator(index);
            var owned = context;
            reason = string.Empty;
            return Device.Create(DeviceKind.Cuda, index, $"cuda:{index} ({Describe(accelerator)})", d => new IlgpuBackend(d, accelerator, owned));
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or DllNotFoundException or TypeInitializationException or CudaException)
        {
            context?.Dispose();
            reason = "CUDA is unavailable: " + e.Message;
            return null;
        }
    }
}

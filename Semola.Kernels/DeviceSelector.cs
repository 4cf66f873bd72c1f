namespace Semola.Kernels;

/// <summary>
/// Turns a user's device choice ("auto", "cpu", "cuda", "cuda:1", "opencl", "ilgpu-cpu") into a
/// <see cref="Device"/>, or a clear error that says what was found and why it was refused.
/// </summary>
public static class DeviceSelector
{
    /// <summary>The names accepted by <see cref="Select"/>.</summary>
    public static readonly IReadOnlyList<string> Names = ["auto", "cpu", "cuda", "opencl", "ilgpu-cpu"];

    /// <summary>
    /// Backends that can create GPU devices register here (name, index) -> device; the CPU backend is
    /// always present.
    /// </summary>
    public static Func<string, int, Device?>? GpuProvider { get; set; }

    /// <summary>A description of every device found, for a `devices` listing.</summary>
    public static Func<IReadOnlyList<string>>? GpuLister { get; set; }

    /// <summary>Lists the devices this machine offers.</summary>
    public static IReadOnlyList<string> List()
    {
        var list = new List<string> { "cpu: managed CPU backend (" + Environment.ProcessorCount + " threads)" };
        if (GpuLister is not null)
        {
            list.AddRange(GpuLister());
        }
        else
        {
            list.Add("(no GPU backend is part of this build: cuda, opencl and ilgpu-cpu are unavailable)");
        }
        return list;
    }

    /// <summary>Resolves a device name with an optional ":index".</summary>
    public static Device Select(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        string kind = name.Trim().ToLowerInvariant();
        int index = 0;
        int colon = kind.IndexOf(':');
        if (colon >= 0)
        {
            if (!int.TryParse(kind.AsSpan(colon + 1), out index) || index < 0)
            {
                throw new ArgumentException($"Device '{name}': the index after ':' must be a non-negative integer.");
            }
            kind = kind[..colon];
        }
        if (!Names.Contains(kind))
        {
            throw new ArgumentException($"Unknown device '{name}'; expected one of {string.Join(", ", Names)} (optionally with :index).");
        }
        if (kind == "cpu")
        {
            return Device.Cpu;
        }
        var gpu = GpuProvider?.Invoke(kind, index);
        if (gpu is not null)
        {
            return gpu;
        }
        if (kind == "auto")
        {
            return Device.Cpu;
        }
        throw new ArgumentException($"Device '{name}' is not available. Found: {string.Join("; ", List())}.");
    }
}

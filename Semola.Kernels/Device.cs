namespace Semola.Kernels;

/// <summary>
/// A place where tensors live and kernels run. Each device owns exactly one <see cref="Backend"/>.
/// </summary>
public sealed class Device
{
    private static readonly Lazy<Device> CpuDevice = new(() => new Device(DeviceKind.Cpu, 0, "cpu", d => new Cpu.CpuBackend(d)));

    private Device(DeviceKind kind, int index, string name, Func<Device, Backend> backendFactory)
    {
        Kind = kind;
        Index = index;
        Name = name;
        Backend = backendFactory(this);
    }

    /// <summary>The managed CPU device (a process-wide singleton).</summary>
    public static Device Cpu => CpuDevice.Value;

    /// <summary>What kind of device this is.</summary>
    public DeviceKind Kind { get; }

    /// <summary>The index among devices of the same kind.</summary>
    public int Index { get; }

    /// <summary>A human-readable name, e.g. "cpu" or "cuda:0 (NVIDIA H100)".</summary>
    public string Name { get; }

    /// <summary>The backend that allocates buffers and runs kernels on this device.</summary>
    public Backend Backend { get; }

    /// <summary>Creates a device around a backend built by <paramref name="backendFactory"/> (used by GPU backends).</summary>
    public static Device Create(DeviceKind kind, int index, string name, Func<Device, Backend> backendFactory)
    {
        ArgumentNullException.ThrowIfNull(backendFactory);
        return new Device(kind, index, name, backendFactory);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

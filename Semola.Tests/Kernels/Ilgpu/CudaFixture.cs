using Semola.Kernels;
using Semola.Kernels.Ilgpu;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>The first CUDA device, or the reason there is none (the CUDA tests then report as skipped).</summary>
public sealed class CudaFixture : IDisposable
{
    /// <summary>Looks for a CUDA device.</summary>
    public CudaFixture()
    {
        Device = IlgpuDevices.TryCreateCuda(0, out string reason);
        Reason = reason;
    }

    /// <summary>The CUDA device, or null.</summary>
    public Device? Device { get; }

    /// <summary>Why <see cref="Device"/> is null.</summary>
    public string Reason { get; }

    /// <inheritdoc />
    public void Dispose() => Device?.Backend.Dispose();
}

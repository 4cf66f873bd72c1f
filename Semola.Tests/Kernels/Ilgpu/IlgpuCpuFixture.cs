using Semola.Kernels;
using Semola.Kernels.Ilgpu;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>One ILGPU CPU accelerator per test class (kernels compile once per accelerator).</summary>
public sealed class IlgpuCpuFixture : IDisposable
{
    /// <summary>Creates the simulator device.</summary>
    public IlgpuCpuFixture() => Device = IlgpuDevices.CreateCpuSimulator();

    /// <summary>The device under test.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    public void Dispose() => Device.Backend.Dispose();
}

using Semola.Kernels;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>The parity tests on ILGPU's CPU accelerator (runs everywhere).</summary>
public sealed class IlgpuCpuParityTests(IlgpuCpuFixture fixture) : BackendParityTests, IClassFixture<IlgpuCpuFixture>
{
    /// <inheritdoc />
    protected override Device? Target => fixture.Device;

    /// <inheritdoc />
    protected override string SkipReason => string.Empty;
}

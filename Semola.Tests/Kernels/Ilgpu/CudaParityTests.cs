using Semola.Kernels;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>The parity tests on a CUDA device; reported as skipped (with the reason) where there is none.</summary>
public sealed class CudaParityTests(CudaFixture fixture) : BackendParityTests, IClassFixture<CudaFixture>
{
    /// <inheritdoc />
    protected override Device? Target => fixture.Device;

    /// <inheritdoc />
    protected override string SkipReason => fixture.Reason;
}

using Semola.Kernels;
using Semola.Kernels.Ilgpu;

namespace Semola.Tests.Kernels.Ilgpu;

public class IlgpuDevicesTests
{
    [Fact]
    public void ListNamesEveryKind()
    {
        IlgpuDevices.Register();
        var lines = DeviceSelector.List();
        Assert.Contains(lines, l => l.StartsWith("cpu", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cuda", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("opencl", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("ilgpu-cpu", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void AbsentCudaIsAClearErrorAndAutoFallsBackToCpu()
    {
        IlgpuDevices.Register();
        bool hasCuda = DeviceSelector.List().Any(l => l.StartsWith("cuda:0", StringComparison.Ordinal));
        Skip.If(hasCuda, "a CUDA device is present");
        var e = Assert.Throws<ArgumentException>(() => DeviceSelector.Select("cuda:0"));
        Assert.Contains("0 CUDA device(s) found", e.Message, StringComparison.Ordinal);
        bool hasOpenClGpu = DeviceSelector.List().Any(l => l.StartsWith("opencl:", StringComparison.Ordinal) && l.Contains("usable", StringComparison.Ordinal) && l.Contains("GPU", StringComparison.Ordinal));
        if (!hasOpenClGpu)
        {
            Assert.Same(Device.Cpu, DeviceSelector.Select("auto"));
        }
        Assert.Throws<ArgumentException>(() => DeviceSelector.Select("ilgpu-cpu:1"));
    }
}

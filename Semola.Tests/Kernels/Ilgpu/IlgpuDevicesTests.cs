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

    /// <summary>A device with everything the kernels need (an OpenCL 3.0 GPU with 64 KiB of local memory).</summary>
    private static readonly OpenClCapabilities Capable = new("fake GPU", 3, 0, Float64: true, GenericAddressSpace: true,
        LocalMemoryBytes: 65536, MaxThreadsPerGroup: 1024, MaxGroupSizeX: 1024, MaxGroupSizeY: 1024);

    [Fact]
    public void OpenClDeviceWithEveryCapabilityIsAccepted()
    {
        Assert.Null(IlgpuDevices.OpenClRefusal(Capable));
        // The OpenCL minimum of 32 KiB local memory, 2.0 and 256-thread groups are enough.
        Assert.Null(IlgpuDevices.OpenClRefusal(Capable with { CVersionMajor = 2, LocalMemoryBytes = 32768, MaxThreadsPerGroup = 256, MaxGroupSizeX = 256, MaxGroupSizeY = 256 }));
    }

    [Theory]
    [InlineData("version", "OpenCL C 1.2 is older than the 2.0")]
    [InlineData("generic", "no OpenCL generic address space")]
    [InlineData("fp64", "no double precision (cl_khr_fp64), which the batch-norm and matrix-exponential kernels need")]
    [InlineData("local", "4096 bytes of local memory per work-group, less than the 8192 bytes")]
    [InlineData("groupY", "work-groups of at most 1024 x 8, smaller than the 16 x 16 GEMM group")]
    public void OpenClDeviceLackingOneCapabilityIsRefusedNamingIt(string lacking, string expected)
    {
        var caps = lacking switch
        {
            "version" => Capable with { CVersionMajor = 1, CVersionMinor = 2 },
            "generic" => Capable with { GenericAddressSpace = false },
            "fp64" => Capable with { Float64 = false },
            "local" => Capable with { LocalMemoryBytes = 4096 },
            "groupY" => Capable with { MaxGroupSizeY = 8 },
            _ => throw new ArgumentException(lacking),
        };
        string? refusal = IlgpuDevices.OpenClRefusal(caps);
        Assert.NotNull(refusal);
        Assert.Contains(expected, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(";", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenClRefusalNamesEveryMissingCapability()
    {
        // PoCL 3.1 on a CPU: OpenCL C 1.2 reported, no generic address space; here also without fp64.
        string? refusal = IlgpuDevices.OpenClRefusal(Capable with { CVersionMajor = 1, CVersionMinor = 2, GenericAddressSpace = false, Float64 = false });
        Assert.NotNull(refusal);
        Assert.Contains("OpenCL C 1.2", refusal, StringComparison.Ordinal);
        Assert.Contains("generic address space", refusal, StringComparison.Ordinal);
        Assert.Contains("cl_khr_fp64", refusal, StringComparison.Ordinal);
        Assert.Equal(3, refusal.Split("; ").Length);
    }

    [Fact]
    public void SharedMemoryNeedFollowsTheGemmGroup()
    {
        // 16 x 16 threads: two 64 x 16 float tiles = 8 KiB; smaller groups need less but at least the
        // reductions' 256 x (float + int) and 256 doubles = 2 KiB.
        Assert.Equal(16, IlgpuBackend.GemmEdgeFor(simulator: false, 1024));
        Assert.Equal(8, IlgpuBackend.GemmEdgeFor(simulator: false, 128));
        Assert.Equal(4, IlgpuBackend.GemmEdgeFor(simulator: true, 1024));
        Assert.Equal(8192, IlgpuBackend.SharedMemoryBytes(16));
        Assert.Equal(4096, IlgpuBackend.SharedMemoryBytes(8));
        Assert.Equal(2048, IlgpuBackend.SharedMemoryBytes(4));
        // A device limited to 128-thread groups gets an 8 x 8 GEMM and so needs only 4 KiB.
        Assert.Null(IlgpuDevices.OpenClRefusal(Capable with { LocalMemoryBytes = 4096, MaxThreadsPerGroup = 128, MaxGroupSizeX = 128, MaxGroupSizeY = 128 }));
    }
}

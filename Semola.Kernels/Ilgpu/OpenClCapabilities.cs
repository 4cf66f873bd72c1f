using ILGPU.Runtime.OpenCL;

namespace Semola.Kernels.Ilgpu;

/// <summary>
/// What an OpenCL device offers that the ILGPU kernels depend on, read from the device (or made up by
/// tests). <see cref="IlgpuDevices.OpenClRefusal(OpenClCapabilities)"/> checks it against the kernels'
/// needs.
/// </summary>
/// <param name="Name">The device name, for messages.</param>
/// <param name="CVersionMajor">Major version of the OpenCL C language the device compiles.</param>
/// <param name="CVersionMinor">Minor version of that language.</param>
/// <param name="Float64">Whether the device has double precision (cl_khr_fp64).</param>
/// <param name="GenericAddressSpace">Whether the device supports the OpenCL C generic address space.</param>
/// <param name="LocalMemoryBytes">Local (shared) memory per work-group, in bytes.</param>
/// <param name="MaxThreadsPerGroup">Largest work-group (threads in all dimensions).</param>
/// <param name="MaxGroupSizeX">Largest work-group extent in dimension x.</param>
/// <param name="MaxGroupSizeY">Largest work-group extent in dimension y.</param>
public sealed record OpenClCapabilities(
    string Name,
    int CVersionMajor,
    int CVersionMinor,
    bool Float64,
    bool GenericAddressSpace,
    long LocalMemoryBytes,
    int MaxThreadsPerGroup,
    int MaxGroupSizeX,
    int MaxGroupSizeY)
{
    /// <summary>Reads the capabilities of an OpenCL device found by ILGPU.</summary>
    public static OpenClCapabilities FromDevice(CLDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new OpenClCapabilities(
            device.Name,
            device.CLStdVersion.Major,
            device.CLStdVersion.Minor,
            device.Capabilities.Float64,
            device.Capabilities.GenericAddressSpace,
            device.MaxSharedMemoryPerGroup,
            device.MaxNumThreadsPerGroup,
            device.MaxGroupSize.X,
            device.MaxGroupSize.Y);
    }
}

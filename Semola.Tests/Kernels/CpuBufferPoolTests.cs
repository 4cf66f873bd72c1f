using Semola.Kernels;
using Semola.Kernels.Cpu;

namespace Semola.Tests.Kernels;

public unsafe class CpuBufferPoolTests
{
    // A backend of its own: the shared one's pool is used by tests running in parallel.
    private static CpuBackend NewBackend() => new(Device.Cpu);

    private static nint Address(DeviceBuffer b) => (nint)((CpuBuffer)b).Pointer;

    [Fact]
    public void FreedArrayOfTheSameSizeIsReused()
    {
        var backend = NewBackend();
        var a = backend.Allocate(1000);
        nint address = Address(a);
        a.Dispose();
        using var b = backend.Allocate(1000);
        Assert.Equal(address, Address(b));
    }

    [Fact]
    public void ShorterRequestTakesAnArrayAtMostHalfAsLongAgain()
    {
        var backend = NewBackend();
        var a = backend.Allocate(1000);
        nint address = Address(a);
        a.Dispose();

        // 600 * 1.5 = 900 < 1000: too long to lend, a new array.
        using (var tooShort = backend.Allocate(600))
        {
            Assert.NotEqual(address, Address(tooShort));
        }

        var b = backend.Allocate(700);
        Assert.Equal(address, Address(b));
        Assert.Equal(700, b.Length);
        Assert.Equal(700, ((CpuBuffer)b).Span.Length);
        Assert.Equal(700, backend.LiveElements);
        b.Dispose();
        Assert.Equal(0, backend.LiveElements);

        // Returned under its real size: a request for the full 1000 finds it again.
        using var c = backend.Allocate(1000);
        Assert.Equal(address, Address(c));
    }

    [Fact]
    public void ExactSizeIsPreferredAndTheSmallestFittingSizeNext()
    {
        var backend = NewBackend();
        var a = backend.Allocate(1200);
        var b = backend.Allocate(1100);
        var c = backend.Allocate(1000);
        nint a1200 = Address(a), a1100 = Address(b), a1000 = Address(c);
        a.Dispose();
        b.Dispose();
        c.Dispose();

        using var exact = backend.Allocate(1000);
        Assert.Equal(a1000, Address(exact));
        using var fit = backend.Allocate(1000);
        Assert.Equal(a1100, Address(fit));
        using var next = backend.Allocate(1000);
        Assert.Equal(a1200, Address(next));
        using var fresh = backend.Allocate(1000);
        Assert.NotEqual(a1200, Address(fresh));
        Assert.NotEqual(a1100, Address(fresh));
        Assert.NotEqual(a1000, Address(fresh));
    }
}

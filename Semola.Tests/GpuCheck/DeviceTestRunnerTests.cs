using System.Text.Json;
using Semola.Tests.Core.Data;
using Semola.Tests.Kernels.Ilgpu;

namespace Semola.Tests.GpuCheck;

public class DeviceTestRunnerTests
{
    [Fact]
    public void RunsEveryCudaParityFactAndWritesCounts()
    {
        using var dir = new TempDirectory();
        string json = Path.Combine(dir.Path, "parity.json");
        using var output = new StringWriter();
        int code = DeviceTestRunner.RunCudaParity(output, json);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        int facts = typeof(CudaParityTests).GetMethods().Count(m => m.GetCustomAttributes(typeof(FactAttribute), true).Length > 0);
        Assert.Equal(facts, root.GetProperty("tests").GetArrayLength());
        int passed = root.GetProperty("passed").GetInt32(), failed = root.GetProperty("failed").GetInt32(), skipped = root.GetProperty("skipped").GetInt32();
        Assert.Equal(facts, passed + failed + skipped);
        Assert.Equal(failed == 0 ? 0 : 1, code);
        Assert.Contains($"{passed} passed, {failed} failed, {skipped} skipped", output.ToString(), StringComparison.Ordinal);
        if (skipped == facts)
        {
            // No CUDA device here: every test says why.
            Assert.All(root.GetProperty("tests").EnumerateArray(), t => Assert.Contains("CUDA", t.GetProperty("detail").GetString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void UnknownArgumentsPrintUsage() => Assert.Equal(2, DeviceTestRunner.Main(["--all"]));
}

using System.Text.Json;
using Semola.Experiments;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Experiments;

public class CommandLineTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ExperimentsApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void BenchQuick_WritesValidJson()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "out", "bench.json");
        var (code, output, error) = Run("bench", "--quick", "--json", path);
        Assert.True(code == 0, error);
        Assert.Contains("GFLOP/s", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Assert.True(root.GetProperty("quick").GetBoolean());
        Assert.Equal(2, root.GetProperty("gemm").GetArrayLength());
        Assert.All(root.GetProperty("gemm").EnumerateArray(), g => Assert.True(g.GetProperty("gflops").GetDouble() > 0));
        Assert.True(root.GetProperty("conv2d").GetProperty("total_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("cnn_train").GetProperty("images_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("matrix_exp").GetProperty("forward_backward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("grid_sample").GetProperty("forward_backward_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("semola_step").GetProperty("images_per_second").GetDouble() > 0);
        Assert.Equal(Semola.Kernels.Cpu.CpuFeatures.Name(Semola.Kernels.Cpu.CpuFeatures.Active), root.GetProperty("isa").GetString());
        Assert.Contains("ISA path", output);
    }

    [Fact]
    public void Digits_TinyRun_PrintsProgressAndAccuracy()
    {
        var (code, output, error) = Run("digits", "--train-size", "8", "--test-size", "4", "--batch-size", "4", "--log-every", "1", "--seed", "3");
        Assert.True(code == 0, error);
        Assert.Contains("epoch 1 step 1/2: loss", output);
        Assert.Contains("epoch 1 step 2/2: loss", output);
        Assert.Contains("test accuracy:", output);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("bench", "--repeats", "zero")]
    [InlineData("bench", "--repeats", "0")]
    [InlineData("digits", "--epochs", "-1")]
    [InlineData("digits", "--train-size", "9000", "--test-size", "2000")]
    [InlineData("digits", "--no-such-option")]
    public void BadInput_FailsWithAMessage(params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}

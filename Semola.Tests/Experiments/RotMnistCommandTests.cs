using System.Text.Json;
using Semola.Experiments;

namespace Semola.Tests.Experiments;

public class RotMnistCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => App.Run(args);

    [Fact]
    public void WritesResultsEpochLogFigureAndResumes()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-rotmnist-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, err) = Run("rotmnist", "--train-size", "32", "--test-size", "16", "--epochs", "1", "--batch-size", "16", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("epoch 1", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var root = doc.RootElement;
            Assert.Equal("rotmnist", root.GetProperty("experiment").GetString());
            Assert.Equal("semola", root.GetProperty("method").GetString());
            Assert.Equal(29, root.GetProperty("train_samples").GetInt32());
            Assert.Equal(3, root.GetProperty("validation_samples").GetInt32());
            Assert.Equal(64, root.GetProperty("data_sha256").GetString()!.Length);
            Assert.Equal("32", root.GetProperty("config").GetProperty("train-size").GetString());
            // Batch-norm statistics are recomputed before every evaluation by default.
            Assert.Equal("50", root.GetProperty("config").GetProperty("bn-recompute").GetString());
            Assert.False(root.GetProperty("diverged").GetBoolean());
            var metrics = root.GetProperty("metrics");
            foreach (var key in new[] { "test_accuracy", "generator_cosine", "subspace_similarity", "test_invariance_violation_rate", "validation_accuracy" })
            {
                Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
            }
            Assert.Equal(1, root.GetProperty("generators").GetArrayLength());
            Assert.Equal(3, root.GetProperty("generators")[0].GetArrayLength());
            Assert.Equal(1, root.GetProperty("extents").GetArrayLength());
            Assert.True(root.GetProperty("wall_seconds").GetDouble() > 0);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "epochs.csv")).Length);
            Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir, "generators.svg")));

            var resumed = Run("rotmnist", "--train-size", "32", "--test-size", "16", "--epochs", "2", "--batch-size", "16", "--out", dir, "--resume");
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Contains("continuing after epoch 1", resumed.Out);
            Assert.Contains("epoch 2", resumed.Out);
            Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "epochs.csv")).Length);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("--method", "magic", "magic", 2)]
    [InlineData("--variant", "sideways", "sideways", 2)]
    [InlineData("--device", "tpu", "tpu", 2)]
    [InlineData("--generators", "7", "--generators 7", 2)]
    [InlineData("--space", "affine3d", "--space affine3d", 2)]
    [InlineData("--train-size", "20000", "train size", 1)]
    [InlineData("--data", "/nonexistent/dir", "not a directory", 1)]
    public void BadArgumentsFailClearlyAndWriteNothing(string option, string value, string expected, int exitCode)
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-rotmnist-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("rotmnist", option, value, "--out", dir);
        Assert.Equal(exitCode, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }
}

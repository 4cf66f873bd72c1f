using System.Text.Json;
using Semola.Experiments;

namespace Semola.Tests.Experiments;

public class NBodyCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => App.Run(args);

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "semola-nbody-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void WritesResultsEpochLogFigureAndResumes()
    {
        string dir = TempDir();
        try
        {
            string[] common = ["nbody", "--train-size", "16", "--test-size", "8", "--batch-size", "32", "--hidden", "32", "--out", dir];
            var (code, output, err) = Run([.. common, "--epochs", "1"]);
            Assert.True(code == 0, err);
            Assert.Contains("epoch 1", output);
            using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json"))))
            {
                var root = doc.RootElement;
                Assert.Equal("nbody", root.GetProperty("experiment").GetString());
                Assert.Equal("semola", root.GetProperty("method").GetString());
                Assert.Equal("ood", root.GetProperty("variant").GetString());
                Assert.Equal(14 * 19, root.GetProperty("train_samples").GetInt32());
                Assert.Equal(2 * 19, root.GetProperty("validation_samples").GetInt32());
                var metrics = root.GetProperty("metrics");
                foreach (var key in new[] { "test_mse", "test_id_mse", "test_equivariance_error", "validation_mse", "generator_cosine", "subspace_similarity" })
                {
                    Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
                }
                Assert.Equal(1, root.GetProperty("generators").GetArrayLength());
                Assert.Equal(8, root.GetProperty("generators")[0].GetArrayLength());
                Assert.Equal(1, root.GetProperty("extents").GetArrayLength());
                Assert.Equal(8, root.GetProperty("ground_truth").GetArrayLength());
            }
            Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "epochs.csv")).Length);
            Assert.StartsWith("<svg", File.ReadAllText(Path.Combine(dir, "generators.svg")));

            var resumed = Run([.. common, "--epochs", "2", "--resume"]);
            Assert.True(resumed.Code == 0, resumed.Err);
            Assert.Contains("continuing after epoch 1", resumed.Out);
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
    [InlineData("base")]
    [InlineData("liegan")]
    [InlineData("equivariant")]
    public void BaselinesRunOnThreeBodiesAndUserData(string method)
    {
        string dir = TempDir();
        try
        {
            var (code, _, err) = Run("nbody", "--method", method, "--bodies", "3", "--variant", "id", "--train-size", "8", "--test-size", "4", "--epochs", "1",
                "--discovery-epochs", "1", "--input-steps", "5", "--output-steps", "5", "--hidden", "16", "--out", dir);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            Assert.Equal(3, doc.RootElement.GetProperty("bodies").GetInt32());
            Assert.False(doc.RootElement.GetProperty("metrics").TryGetProperty("test_id_mse", out _));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void ReadsUserCsv()
    {
        string dir = TempDir();
        Directory.CreateDirectory(dir);
        try
        {
            var sb = new System.Text.StringBuilder("trajectory,step,q1x,q1y,p1x,p1y,q2x,q2y,p2x,p2y\n");
            var rng = new Random(1);
            for (int n = 0; n < 12; n++)
            {
                double a = -3.1 + 6.2 * n / 12;
                for (int t = 0; t < 4; t++)
                {
                    double b = a + 0.1 * t;
                    sb.Append(System.FormattableString.Invariant($"{n},{t},{2 * Math.Cos(b)},{2 * Math.Sin(b)},{-0.3 * Math.Sin(b)},{0.3 * Math.Cos(b)},{-2 * Math.Cos(b)},{-2 * Math.Sin(b)},{0.3 * Math.Sin(b)},{-0.3 * Math.Cos(b)}\n"));
                }
            }
            string csv = Path.Combine(dir, "traj.csv");
            File.WriteAllText(csv, sb.ToString());
            var (code, output, err) = Run("nbody", "--method", "base", "--data", csv, "--epochs", "1", "--hidden", "16", "--out", Path.Combine(dir, "run"));
            Assert.True(code == 0, err);
            Assert.Contains("2 bodies", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("--method", "magic", "magic", 2)]
    [InlineData("--variant", "sideways", "sideways", 2)]
    [InlineData("--space", "banana", "banana", 2)]
    [InlineData("--bodies", "5", "--bodies", 2)]
    [InlineData("--input-steps", "0", "--input-steps", 2)]
    [InlineData("--epochs", "0", "epochs", 2)]
    [InlineData("--lambda-ext", "-1", "lambda-ext", 2)]
    [InlineData("--lr-schedule", "bogus", "bogus", 2)]
    [InlineData("--probe-extent", "-1", "--probe-extent", 2)]
    [InlineData("--generators", "5", "--generators 5", 2)]
    [InlineData("--tta", "3", "--tta", 2)]
    [InlineData("--dt", "1e30", "dt", 2)]
    [InlineData("--output-steps", "30", "too short", 1)]
    [InlineData("--data", "/nonexistent/traj.npy", "not a file", 1)]
    public void BadArgumentsFailClearlyAndWriteNothing(string option, string value, string expected, int exitCode)
    {
        string dir = TempDir();
        string[] args = option == "--tta" ? ["nbody", "--method", "base", option, value] : ["nbody", option, value];
        var (code, _, err) = Run([.. args, "--train-size", "8", "--test-size", "4", "--out", dir]);
        Assert.Equal(exitCode, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void MalformedDataFileFailsClearly()
    {
        string dir = TempDir();
        Directory.CreateDirectory(dir);
        try
        {
            string bad = Path.Combine(dir, "bad.npy");
            File.WriteAllText(bad, "not numpy");
            var (code, _, err) = Run("nbody", "--data", bad, "--out", Path.Combine(dir, "run"));
            Assert.Equal(1, code);
            Assert.Contains("magic", err);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

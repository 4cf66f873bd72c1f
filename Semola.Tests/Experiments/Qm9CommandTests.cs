using System.Text.Json;
using Semola.Experiments;

namespace Semola.Tests.Experiments;

public class Qm9CommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => App.Run(args);

    [Theory]
    [InlineData(false, 6, "affine3d")]
    [InlineData(true, 3, "linear3d")]
    public void GeneratedMoleculesRunWithTheSe3Metrics(bool center, int generators, string space)
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-qm9-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args = ["qm9", "--train-size", "40", "--test-size", "10", "--epochs", "1", "--hidden", "16", "--out", dir];
            var (code, output, err) = Run(center ? [.. args, "--center"] : args);
            Assert.True(code == 0, err);
            Assert.Contains($"space {space}, k = {generators}", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var root = doc.RootElement;
            var metrics = root.GetProperty("metrics");
            foreach (var key in new[] { "test_mae", "test_equivariance_error", "subspace_so3", "subspace_se3" })
            {
                Assert.Equal(JsonValueKind.Number, metrics.GetProperty(key).ValueKind);
            }
            Assert.Equal(generators, root.GetProperty("generators").GetArrayLength());
            double spread = metrics.GetProperty("basis_spread").GetDouble();
            Assert.InRange(spread, 0.0, 1.0);
            Assert.True(root.GetProperty("target_scale_mev").GetDouble() > 0);
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
    [InlineData(false, 6)]
    [InlineData(true, 3)]
    public void TheDefaultsAreQm9sOwn(bool center, int generators)
    {
        var qm9 = new Qm9Options { Center = center };
        qm9.ApplyDefaults();
        Assert.Equal((generators, 30, 1.0, 0.03), (qm9.Generators, qm9.Epochs, qm9.LambdaBasis, qm9.AugLr));
        // The regression recipe it shares with nbody keeps its own basis weight and augmenter rate.
        var nbody = new NBodyOptions();
        nbody.ApplyDefaults();
        Assert.Equal((0.01, 0.01), (nbody.LambdaBasis, nbody.AugLr));
        // An explicit option wins over the default.
        var set = new Qm9Options { LambdaBasis = 0.01, AugLr = 0.01 };
        set.ApplyDefaults();
        Assert.Equal((0.01, 0.01), (set.LambdaBasis, set.AugLr));
    }

    [Fact]
    public void TheDefaultsReachTheSemolaOptions()
    {
        var qm9 = new Qm9Options { Center = true };
        qm9.ApplyDefaults();
        var plan = ExperimentRunner.Configure(qm9, 4, 0, 64);
        Assert.Equal((1f, 0.03f), (plan.Methods.Semola.LambdaBasis, plan.Methods.Semola.AugmenterLearningRate));
    }

    [Theory]
    [InlineData("--target", "energy", "--target", 2)]
    [InlineData("--method", "equivariant", "no hard-equivariant model", 2)]
    [InlineData("--data", "/nonexistent/qm9.tar.bz2", "neither a file", 1)]
    public void BadInputFailsWithOneLine(string option, string value, string expected, int exitCode)
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-qm9-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("qm9", option, value, "--train-size", "20", "--test-size", "5", "--out", dir);
        Assert.Equal(exitCode, code);
        Assert.Contains(expected, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir));
    }
}

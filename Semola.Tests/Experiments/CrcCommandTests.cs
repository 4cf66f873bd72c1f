using System.Text.Json;
using Semola.Experiments;

namespace Semola.Tests.Experiments;

public class CrcCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => App.Run(args);

    [Theory]
    [InlineData("semola")]
    [InlineData("equivariant")]
    public void GeneratedTexturesRunAndWriteResults(string method)
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-crc-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, err) = Run("crc", "--method", method, "--train-size", "48", "--test-size", "12", "--size", "8", "--epochs", "1", "--batch-size", "16", "--device", "cpu", "--out", dir);
            Assert.True(code == 0, err);
            Assert.Contains("6 classes", output);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
            var root = doc.RootElement;
            Assert.Equal("crc", root.GetProperty("experiment").GetString());
            Assert.Equal(60, root.GetProperty("train_samples").GetInt32() + root.GetProperty("validation_samples").GetInt32() + root.GetProperty("test_samples").GetInt32());
            Assert.Equal(JsonValueKind.Number, root.GetProperty("metrics").GetProperty("test_accuracy").ValueKind);
            Assert.Equal("generated-subtle-round", root.GetProperty("data").GetString());
            // crc's own defaults: the linear search space, no discriminator term, a smaller initial extent, 8 epochs.
            var config = root.GetProperty("config");
            Assert.Equal("linear2d", config.GetProperty("space").GetString());
            Assert.Equal("0", config.GetProperty("lambda-dist").GetString());
            Assert.Equal("0.5", config.GetProperty("initial-extent").GetString());
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
    [InlineData("--textures", "hard", "--textures must be subtle or distinct")]
    [InlineData("--field", "disc", "--field must be round or square")]
    [InlineData("--space", "linear3d", "4x4 generators")]
    public void UnknownGeneratedDataOptionsFailAsOptionErrors(string option, string value, string message)
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-crc-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("crc", option, value, "--train-size", "48", "--test-size", "12", "--size", "8", "--epochs", "1", "--device", "cpu", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void TheDefaultsAreCrcsOwn()
    {
        var crc = new CrcOptions();
        crc.ApplyDefaults();
        Assert.Equal((8, "linear2d", 0.0, 0.5), (crc.Epochs, crc.Space, crc.LambdaDist, crc.InitialExtent));
        // The main experiment keeps its recipe.
        var rotmnist = new RotMnistOptions();
        rotmnist.ApplyDefaults();
        Assert.Equal((4, null, 1.0, 1.0), (rotmnist.Epochs, rotmnist.Space, rotmnist.LambdaDist, rotmnist.InitialExtent));
    }

    [Fact]
    public void AMissingNpzFailsWithOneLine()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-crc-" + Guid.NewGuid().ToString("N"));
        var (code, _, err) = Run("crc", "--data", "/nonexistent/pathmnist.npz", "--out", dir);
        Assert.Equal(1, code);
        Assert.Contains("not a file", err);
        Assert.False(Directory.Exists(dir));
    }
}

using System.Text.Json;
using Semola.Experiments;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Experiments;

public class ConfigFileTests
{
    /// <summary>The smallest N-body run: a few generated trajectories, a tiny MLP, one epoch (well under a second).</summary>
    private const string Tiny = """
        "train-size": 8, "test-size": 4, "steps": 5, "hidden": 8, "epochs": 1
        """;

    [Fact]
    public void FileGivesTheVerbAndOptionsByTheirJsonTypes()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("run.json", """
            { "verb": "nbody",
              // comments and trailing commas are allowed
              "options": { "method": "base", "epochs": 4, "lr": 0.001, "deterministic": true, "resume": false, "variant": "ood", "space": null, } }
            """);
        var args = ConfigFile.Expand(["--config", path]);
        Assert.Equal(["nbody", "--method=base", "--epochs=4", "--lr=0.001", "--deterministic", "--variant=ood"], args);

        string compare = dir.WriteText("compare.json", """
            { "verb": "compare", "options": { "seeds": [1, 2, 3], "sweep": ["lambda-dist=0.3,1,3", "lambda-eq=1,2"], "from": [], "methods": "base,semola" } }
            """);
        Assert.Equal(["compare", "--seeds=1,2,3", "--sweep=lambda-dist=0.3,1,3;lambda-eq=1,2", "--methods=base,semola"], ConfigFile.Expand([$"--config={compare}"]));
    }

    [Fact]
    public void CommandLineOptionsWinOverTheFile()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("run.json", """{ "verb": "nbody", "options": { "seed": 5, "method": "base", "epochs": 3 } }""");
        var args = ConfigFile.Expand(["nbody", "--config", path, "--seed", "2", "--epochs=1"]);
        Assert.Equal(["nbody", "--method=base", "--seed", "2", "--epochs=1"], args);
        // No --config: the arguments pass through unchanged.
        string[] plain = ["nbody", "--seed", "2"];
        Assert.Equal(plain, ConfigFile.Expand(plain));
    }

    [Fact]
    public void RepeatedSweepsJoinIntoOneGrid()
    {
        Assert.Equal(["compare", "--experiment", "nbody", "--sweep=lambda-dist=0.3,1;hidden=4,8"],
            ConfigFile.Expand(["compare", "--experiment", "nbody", "--sweep", "lambda-dist=0.3,1", "--sweep=hidden=4,8"]));
    }

    [Fact]
    public void ARunWritesItsConfigAndRunningThatConfigReproducesIt()
    {
        using var dir = new TempDirectory();
        string first = Path.Combine(dir.Path, "first");
        string path = dir.WriteText("run.json", $$"""{ "verb": "nbody", "options": { {{Tiny}}, "seed": 3 } }""");
        var (code, _, err) = App.Run("--config", path, "--out", first);
        Assert.True(code == 0, err);
        string written = Path.Combine(first, "config.json");
        using (var config = JsonDocument.Parse(File.ReadAllText(written)))
        {
            var root = config.RootElement;
            Assert.Equal("nbody", root.GetProperty("verb").GetString());
            var options = root.GetProperty("options");
            Assert.Equal(3, options.GetProperty("seed").GetInt32());
            Assert.Equal(8, options.GetProperty("hidden").GetInt32());
            Assert.Equal("semola", options.GetProperty("method").GetString());
            Assert.Equal(JsonValueKind.False, options.GetProperty("deterministic").ValueKind);
            Assert.Equal(0.1, options.GetProperty("lambda-ext").GetDouble()); // the verb's default, filled in
            Assert.False(options.TryGetProperty("resume", out _));
            Assert.False(options.TryGetProperty("overwrite", out _));
        }

        string second = Path.Combine(dir.Path, "second");
        (code, _, err) = App.Run("--config", written, "--out", second);
        Assert.True(code == 0, err);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(first, "results.json")));
        using var b = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "results.json")));
        Assert.Equal(a.RootElement.GetProperty("metrics").GetRawText(), b.RootElement.GetProperty("metrics").GetRawText());
        Assert.Equal(a.RootElement.GetProperty("generators").GetRawText(), b.RootElement.GetProperty("generators").GetRawText());
        Assert.Equal(a.RootElement.GetProperty("data_sha256").GetString(), b.RootElement.GetProperty("data_sha256").GetString());
        using (var again = JsonDocument.Parse(File.ReadAllText(Path.Combine(second, "config.json"))))
        using (var config = JsonDocument.Parse(File.ReadAllText(written)))
        {
            static Dictionary<string, string> Options(JsonDocument d) =>
                d.RootElement.GetProperty("options").EnumerateObject().Where(p => p.Name != "out").ToDictionary(p => p.Name, p => p.Value.GetRawText());
            Assert.Equal(Options(config), Options(again));
            Assert.Equal(second, again.RootElement.GetProperty("options").GetProperty("out").GetString());
        }

        // The recorded --out holds that run: replaying it there asks for --resume, which finds it finished.
        (code, _, err) = App.Run("--config", written);
        Assert.Equal(1, code);
        Assert.Contains("--resume", err);
        var resumed = App.Run("--config", written, "--resume");
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("nothing to do", resumed.Out);
    }

    [Fact]
    public void NumbersReadTheSameUnderACommaDecimalCulture()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("run.json", $$"""{ "verb": "nbody", "options": { {{Tiny}}, "lr": 0.002, "val-fraction": 0.25 } }""");
        var saved = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("0,5", 0.5.ToString(System.Globalization.CultureInfo.CurrentCulture)); // the culture is really in force
            var (code, _, err) = App.Run("--config", path, "--out", Path.Combine(dir.Path, "run"));
            Assert.True(code == 0, err);
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = saved;
        }
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "run", "config.json")));
        Assert.Equal(0.002, config.RootElement.GetProperty("options").GetProperty("lr").GetDouble());
        Assert.Equal(0.25, config.RootElement.GetProperty("options").GetProperty("val-fraction").GetDouble());
    }

    [Theory]
    [InlineData("""{ "verb": "nbody", "options": { "epochs": "four" } }""", 2, "\"epochs\" must be a whole number, found a string \"four\"")]
    [InlineData("""{ "verb": "nbody", "options": { "epochs": 1.5 } }""", 2, "\"epochs\" must be a whole number")]
    [InlineData("""{ "verb": "nbody", "options": { "lr": "fast" } }""", 2, "\"lr\" must be a number")]
    [InlineData("""{ "verb": "nbody", "options": { "resume": 1 } }""", 2, "\"resume\" must be true or false")]
    [InlineData("""{ "verb": "nbody", "options": { "method": { "name": "base" } } }""", 2, "\"method\" must be a string, a number or an array of them, found an object")]
    [InlineData("""{ "verb": "nbody", "options": { "frobnicate": 1 } }""", 2, "'frobnicate' is not an option of verb 'nbody'")]
    [InlineData("""{ "verb": "frobnicate", "options": {} }""", 2, "unknown verb 'frobnicate'")]
    [InlineData("""{ "verb": 3 }""", 2, "\"verb\" must be a string")]
    [InlineData("""{ "options": { "epochs": 1 } }""", 2, "names no verb")]
    [InlineData("""{ "verb": "nbody", "option": {} }""", 2, "unknown key \"option\"")]
    [InlineData("""[ "nbody" ]""", 2, "expected a JSON object")]
    [InlineData("{ \"verb\": \"nbody\",\n  \"options\": { \"epochs\": 1,, } }", 1, "is not valid JSON (line 2, position 28)")]
    [InlineData("", 1, "is not valid JSON (line 1, position 1)")]
    public void BadConfigurationsFailClearly(string text, int exitCode, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("bad.json", text);
        var (code, output, err) = App.Run("--config", path, "--out", Path.Combine(dir.Path, "out"));
        Assert.Equal(exitCode, code);
        Assert.Contains(expected, err);
        Assert.Contains("bad.json", err);
        Assert.Equal(string.Empty, output);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "out")));
    }

    [Fact]
    public void MissingFileVerbDisagreementAndMisuseFailClearly()
    {
        using var dir = new TempDirectory();
        var missing = App.Run("--config", Path.Combine(dir.Path, "none.json"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("none.json' is not a file", missing.Err);

        string path = dir.WriteText("run.json", """{ "verb": "nbody", "options": { "epochs": 1 } }""");
        var other = App.Run("rotmnist", "--config", path);
        Assert.Equal(2, other.Code);
        Assert.Contains("asks for verb 'rotmnist' but --config", other.Err);

        Assert.Equal(2, App.Run("nbody", "--config").Code);
        Assert.Equal(2, App.Run("--config", path, "--config", path).Code);
        Assert.Equal(1, App.Run("--config", dir.Path).Code);
    }
}

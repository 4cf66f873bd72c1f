using System.Globalization;
using System.Text;
using System.Text.Json;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Experiments;

public class DiscoverCommandTests
{
    private static readonly string[] Small = ["--epochs", "2", "--reference-epochs", "3", "--hidden", "16", "--batch-size", "64"];

    /// <summary>A CSV of 3-vectors a, b with y = a.b (so(3)-invariant) and a class column.</summary>
    private static string Csv(int rows, Func<int, string?>? corrupt = null)
    {
        var rng = new Random(4);
        var s = new StringBuilder("ax,ay,az,bx,by,bz,y,cls\n");
        for (int r = 0; r < rows; r++)
        {
            var v = Enumerable.Range(0, 6).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            double y = v[0] * v[3] + v[1] * v[4] + v[2] * v[5];
            string line = string.Join(",", v.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "," + y.ToString("R", CultureInfo.InvariantCulture) + "," + (y > 0 ? "pos" : "neg");
            s.Append(corrupt?.Invoke(r) ?? line).Append('\n');
        }
        return s.ToString();
    }

    [Fact]
    public void ARunWritesResultsSummaryAndConfig()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteText("t.csv", Csv(300));
        string outDir = Path.Combine(dir.Path, "run");
        var (code, output, err) = App.Run(["discover", "--data", data, "--inputs", "ax,ay,az,bx,by,bz", "--targets", "y", "--component", "3", "--generators", "2", "--compare", "so3", "--out", outDir, .. Small]);
        Assert.True(code == 0, err + output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("generators").GetArrayLength());
        Assert.All(root.GetProperty("generators").EnumerateArray(), g =>
        {
            Assert.Equal(3, g.GetArrayLength());
            Assert.All(g.EnumerateArray(), row => Assert.Equal(3, row.GetArrayLength()));
        });
        foreach (var key in new[] { "extents", "accepted", "p_values", "distribution_symmetric", "distribution_p_values", "tests" })
        {
            Assert.Equal(2, root.GetProperty(key).GetArrayLength());
        }
        Assert.Contains(root.GetProperty("symmetry_found").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(root.GetProperty("accepted").EnumerateArray().Any(a => a.GetBoolean()), root.GetProperty("symmetry_found").GetBoolean());
        Assert.All(root.GetProperty("p_values").EnumerateArray(), p => Assert.InRange(p.GetDouble(), 0, 1));
        Assert.Equal(JsonValueKind.Number, root.GetProperty("bracket_closure").GetProperty("all").ValueKind);
        Assert.Equal(1, root.GetProperty("bracket_closure").GetProperty("pairs").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("subspace_similarity").GetProperty("so3").ValueKind);
        Assert.Equal(64, root.GetProperty("data_sha256").GetString()!.Length);
        Assert.Equal("3", root.GetProperty("config").GetProperty("component").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("version").GetString()));
        string summary = File.ReadAllText(Path.Combine(outDir, "summary.md"));
        Assert.Contains("| L2 |", summary);
        Assert.True(File.Exists(Path.Combine(outDir, "generators.svg")));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "config.json")));
        Assert.Equal("discover", config.RootElement.GetProperty("verb").GetString());

        // The written configuration reruns the same analysis.
        string replay = Path.Combine(dir.Path, "replay");
        var replayed = App.Run(["--config", Path.Combine(outDir, "config.json"), "--out", replay]);
        Assert.True(replayed.Code == 0, replayed.Err);
        using var doc0 = JsonDocument.Parse(File.ReadAllText(Path.Combine(replay, "results.json")));
        Assert.Equal(root.GetProperty("p_values").GetRawText(), doc0.RootElement.GetProperty("p_values").GetRawText());
        Assert.Equal(root.GetProperty("generators").GetRawText(), doc0.RootElement.GetProperty("generators").GetRawText());

        // The same command and seed give the same numbers; a second run in the same directory needs --resume or --overwrite.
        string again = Path.Combine(dir.Path, "again");
        Assert.Equal(0, App.Run(["discover", "--data", data, "--inputs", "ax,ay,az,bx,by,bz", "--targets", "y", "--component", "3", "--generators", "2", "--compare", "so3", "--out", again, .. Small]).Code);
        using var doc2 = JsonDocument.Parse(File.ReadAllText(Path.Combine(again, "results.json")));
        foreach (var key in new[] { "generators", "extents", "p_values", "distribution_p_values", "spectrum" })
        {
            Assert.Equal(root.GetProperty(key).GetRawText(), doc2.RootElement.GetProperty(key).GetRawText());
        }
        var refused = App.Run(["discover", "--data", data, "--inputs", "ax,ay,az,bx,by,bz", "--targets", "y", "--component", "3", "--generators", "2", "--out", outDir, .. Small]);
        Assert.Equal(1, refused.Code);
        Assert.Contains("--resume", refused.Err);

        // --resume after the last epoch retrains nothing and answers again from the checkpoints.
        var resumed = App.Run(["discover", "--data", data, "--inputs", "ax,ay,az,bx,by,bz", "--targets", "y", "--component", "3", "--generators", "2", "--compare", "so3", "--out", outDir, "--resume", .. Small]);
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("resumed after epoch 3", resumed.Out);
        Assert.DoesNotContain("reference: epoch", resumed.Out);
        using var doc3 = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(root.GetProperty("p_values").GetRawText(), doc3.RootElement.GetProperty("p_values").GetRawText());
    }

    [Fact]
    public void ClassificationOnTextLabels()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteText("t.csv", Csv(200));
        string outDir = Path.Combine(dir.Path, "run");
        var (code, _, err) = App.Run(["discover", "--data", data, "--inputs", "ax,ay,az,bx,by,bz", "--targets", "cls", "--component", "3", "--task", "classification", "--generators", "1", "--out", outDir, .. Small]);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        Assert.Equal(["neg", "pos"], doc.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray());
    }

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "missing.csv", ["--inputs", "ax", "--targets", "y", "--component", "1"], "not found" },
        { "t.csv", ["--inputs", "ax,ay,zz", "--targets", "y", "--component", "3"], "no column 'zz'" },
        { "t.csv", ["--inputs", "ax,ay,az,bx", "--targets", "y", "--component", "3"], "--component 3 does not divide the 4 input columns" },
        { "t.csv", ["--inputs", "ax,ay,az", "--targets", "ax", "--component", "3"], "both an input and a target" },
        { "t.csv", ["--inputs", "ax,ay,az", "--targets", "y", "--component", "3", "--task", "classification", "--targets", "y,cls"], string.Empty },
        { "bad.csv", ["--inputs", "ax,ay,az", "--targets", "y", "--component", "3"], "bad.csv:8, column 'ay': 'oops' is not a number" },
        { "nan.csv", ["--inputs", "ax,ay,az", "--targets", "y", "--component", "3"], "nan.csv:5, column 'y'" },
        { "few.csv", ["--inputs", "ax,ay,az", "--targets", "y", "--component", "3"], "10 rows; discover needs at least 50" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputIsAClearErrorBeforeAnyWork(string file, string[] options, string message)
    {
        using var dir = new TempDirectory();
        dir.WriteText("t.csv", Csv(100));
        dir.WriteText("bad.csv", Csv(100, r => r == 6 ? "0.1,oops,0.3,0.4,0.5,0.6,0.7,pos" : null));
        dir.WriteText("nan.csv", Csv(100, r => r == 3 ? "0.1,0.2,0.3,0.4,0.5,0.6,NaN,pos" : null));
        dir.WriteText("few.csv", Csv(10));
        string outDir = Path.Combine(dir.Path, "out");
        var (code, _, err) = App.Run(["discover", "--data", Path.Combine(dir.Path, file), "--out", outDir, .. options, .. Small]);
        if (message.Length == 0)
        {
            Assert.NotEqual(0, code);
        }
        else
        {
            Assert.Equal(1, code);
            Assert.Contains(message, err);
        }
        Assert.False(Directory.Exists(outDir), "nothing may be written on bad input");
    }

    [Fact]
    public void AnOutputThatIsAFileAndBadOptionsAreRefused()
    {
        using var dir = new TempDirectory();
        string data = dir.WriteText("t.csv", Csv(100));
        string file = dir.WriteText("taken", "x");
        var taken = App.Run(["discover", "--data", data, "--inputs", "ax,ay,az", "--targets", "y", "--component", "3", "--out", file, .. Small]);
        Assert.Equal(1, taken.Code);
        Assert.Contains("cannot be written", taken.Err);
        Assert.Equal(2, App.Run(["discover", "--data", data, "--inputs", "ax,ay,az", "--targets", "y", "--component", "3", "--alpha", "1.5"]).Code);
        Assert.Equal(2, App.Run(["discover", "--data", data, "--inputs", "ax,ay,az", "--targets", "y", "--component", "3", "--target-kind", "odd"]).Code);
        Assert.Equal(2, App.Run(["discover", "--data", data, "--targets", "y", "--component", "3"]).Code);
        Assert.Equal(2, App.Run(["discover", "--data", "synthetic:nothing"]).Code);
        Assert.Equal(2, App.Run(["discover", "--data", data, "--inputs", "ax,ay,az", "--targets", "y", "--component", "3", "--compare", "so2", .. Small, "--out", Path.Combine(dir.Path, "o")]).Code);
    }

    [Fact]
    public void KnownAnswersInMiniature()
    {
        // Short runs on the generated data: the equivariant so(2) map is found and accepted; the target without symmetry
        // has its candidate rejected. (The full-size figures are in docs/discover.md.)
        using var dir = new TempDirectory();
        string[] size = ["--rows", "6000", "--epochs", "30", "--reference-epochs", "60", "--hidden", "64", "--batch-size", "64"];
        var so2 = App.Run(["discover", "--data", "synthetic:so2", "--out", Path.Combine(dir.Path, "so2"), "--generators", "1", .. size]);
        Assert.True(so2.Code == 0, so2.Err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "so2", "results.json"))))
        {
            Assert.True(doc.RootElement.GetProperty("symmetry_found").GetBoolean(), so2.Out);
            Assert.True(doc.RootElement.GetProperty("subspace_similarity").GetProperty("so2").GetDouble() > 0.95, so2.Out);
        }
        var none = App.Run(["discover", "--data", "synthetic:none", "--out", Path.Combine(dir.Path, "none"), "--generators", "1", "--calibrate", "4", .. size]);
        Assert.True(none.Code == 0, none.Err);
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "none", "results.json"))))
        {
            Assert.False(doc.RootElement.GetProperty("symmetry_found").GetBoolean(), none.Out);
            Assert.Contains("No continuous symmetry found", File.ReadAllText(Path.Combine(dir.Path, "none", "summary.md")));
            // No true algebra: only outside directions, and the test rejects them.
            var calibration = doc.RootElement.GetProperty("calibration");
            Assert.False(calibration.TryGetProperty("inside", out _));
            Assert.Equal(0, calibration.GetProperty("outside").GetProperty("accepted").GetInt32());
        }
        Assert.Equal(2, App.Run(["discover", "--data", "synthetic:none", "--calibrate", "-1"]).Code);
        {
        }
    }
}

using System.Globalization;
using Semola.Experiments;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Experiments;

public class CompareSweepTests
{
    /// <summary>A finished result file as a run writes it, with the options it recorded.</summary>
    private static void Fixture(string dir, string name, string method, int seed, double mse, params (string Key, string Value)[] config)
    {
        var ic = CultureInfo.InvariantCulture;
        string d = Path.Combine(dir, name);
        Directory.CreateDirectory(d);
        var all = new Dictionary<string, string> { ["method"] = method, ["seed"] = seed.ToString(ic), ["out"] = d, ["epochs"] = "20", ["lambda-dist"] = "1", ["device"] = "cpu" };
        foreach (var (k, v) in config)
        {
            all[k] = v;
        }
        string cfg = string.Join(", ", all.Select(kv => $"\"{kv.Key}\": \"{kv.Value}\""));
        File.WriteAllText(Path.Combine(d, "results.json"), $$"""
            { "experiment": "nbody", "method": "{{method}}", "variant": "ood", "space": "shared-blocks", "seed": {{seed}}, "finished": true,
              "metrics": { "test_mse": {{mse.ToString(ic)}}, "validation_mse": 9 }, "generators": [], "config": { {{cfg}} } }
            """);
    }

    [Fact]
    public void TheTableHasARowPerMethodAndSweptValueWithMeanAndStdOverSeeds()
    {
        using var dir = new TempDirectory();
        string runs = Path.Combine(dir.Path, "runs");
        // Values given as text sort as numbers: 0.3 < 3 < 10.
        foreach (var (value, mses) in new[] { ("10", new[] { 3.0, 5.0 }), ("0.3", new[] { 1.0, 2.0 }), ("3", new[] { 2.0, 2.0 }) })
        {
            for (int seed = 1; seed <= 2; seed++)
            {
                Fixture(runs, $"semola-lambda-dist{value}-s{seed}", "semola", seed, mses[seed - 1], ("lambda-dist", value), ("device", seed == 1 ? "cpu" : "cuda"));
            }
        }
        Fixture(runs, "base-s1", "base", 1, 4.0);
        Fixture(runs, "base-s2", "base", 2, 6.0);
        var (code, _, err) = App.Run("compare", "--from", runs, "--out", Path.Combine(dir.Path, "cmp"));
        Assert.True(code == 0, err);
        var md = File.ReadAllLines(Path.Combine(dir.Path, "cmp", "table.md"));
        Assert.Equal("| experiment | variant | space | method | fraction | lambda-dist | seeds | test_mse |", md[0]);
        Assert.Equal("|---|---|---|---|---|---|---|---|", md[1]);
        Assert.Equal(
        [
            "| nbody | ood | shared-blocks | base | 1 | 1 | 1 2 | 5 ± 1.4 |",
            "| nbody | ood | shared-blocks | semola | 1 | 0.3 | 1 2 | 1.5 ± 0.71 |",
            "| nbody | ood | shared-blocks | semola | 1 | 3 | 1 2 | 2 ± 0 |",
            "| nbody | ood | shared-blocks | semola | 1 | 10 | 1 2 | 4 ± 1.4 |",
        ], md[2..]);
        var csv = File.ReadAllLines(Path.Combine(dir.Path, "cmp", "table.csv"));
        Assert.Equal("experiment,variant,space,method,fraction,lambda-dist,seeds,test_mse_mean,test_mse_std", csv[0]);
        Assert.Equal("nbody,ood,shared-blocks,semola,1,0.3,1 2,1.5,0.707107", csv[2]);
    }

    [Fact]
    public void RunsThatDifferInAnUnsweptOptionAreNotAveragedTogether()
    {
        using var dir = new TempDirectory();
        Fixture(dir.Path, "a", "base", 1, 1.0);
        Fixture(dir.Path, "b", "base", 2, 3.0);
        Fixture(dir.Path, "c", "base", 1, 7.0, ("epochs", "40"));
        var (code, _, err) = App.Run("compare", "--from", dir.Path, "--out", Path.Combine(dir.Path, "cmp"));
        Assert.True(code == 0, err);
        var md = File.ReadAllLines(Path.Combine(dir.Path, "cmp", "table.md"));
        Assert.Equal("| experiment | variant | space | method | fraction | epochs | seeds | test_mse |", md[0]);
        Assert.Equal("| nbody | ood | shared-blocks | base | 1 | 20 | 1 2 | 2 ± 1.4 |", md[2]);
        Assert.Equal("| nbody | ood | shared-blocks | base | 1 | 40 | 1 | 7 |", md[3]);
    }

    [Fact]
    public void AMergeTakesTheSweptColumnsInTheSweepsOrder()
    {
        using var dir = new TempDirectory();
        string runs = Path.Combine(dir.Path, "runs");
        for (int seed = 1; seed <= 2; seed++)
        {
            Fixture(runs, $"semola-lambda-eq1-lambda-dist1-s{seed}", "semola", seed, 1.0, ("lambda-eq", "1"), ("lambda-dist", "1"));
            Fixture(runs, $"semola-lambda-eq2-lambda-dist1-s{seed}", "semola", seed, 2.0, ("lambda-eq", "2"), ("lambda-dist", "1"));
            Fixture(runs, $"semola-lambda-eq1-lambda-dist3-s{seed}", "semola", seed, 3.0, ("lambda-eq", "1"), ("lambda-dist", "3"));
        }
        File.WriteAllText(Path.Combine(runs, "config.json"), """{ "verb": "compare", "options": { "experiment": "nbody", "sweep": ["lambda-eq=1,2", "lambda-dist=1,3"] } }""");
        var (code, _, err) = App.Run("compare", "--from", runs, "--out", runs);
        Assert.True(code == 0, err);
        var md = File.ReadAllLines(Path.Combine(runs, "table.md"));
        Assert.Equal("| experiment | variant | space | method | fraction | lambda-eq | lambda-dist | seeds | test_mse |", md[0]);
        Assert.Equal("| nbody | ood | shared-blocks | semola | 1 | 1 | 1 | 1 2 | 1 ± 0 |", md[2]);
        Assert.Equal("| nbody | ood | shared-blocks | semola | 1 | 1 | 3 | 1 2 | 3 ± 0 |", md[3]);
        Assert.Equal("| nbody | ood | shared-blocks | semola | 1 | 2 | 1 | 1 2 | 2 ± 0 |", md[4]);
    }

    [Fact]
    public void ASweepRunsEveryValueAndTablesIt()
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "cmp");
        var (code, output, err) = App.Run("compare", "--experiment", "nbody", "--methods", "semola", "--seeds", "1,2", "--sweep", "lambda-dist=0,3",
            "--args=--train-size 8 --test-size 4 --steps 5 --hidden 8 --epochs 1", "--out", outDir);
        Assert.True(code == 0, err);
        Assert.Contains("--lambda-dist 3 ->", output);
        var md = File.ReadAllLines(Path.Combine(outDir, "table.md"));
        Assert.Equal(4, md.Length);
        Assert.StartsWith("| nbody | ood | shared-blocks | semola | 1 | 0 | 1 2 |", md[2]);
        Assert.StartsWith("| nbody | ood | shared-blocks | semola | 1 | 3 | 1 2 |", md[3]);
        using var run = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "semola-lambda-dist3-s2", "results.json")));
        Assert.Equal("3", run.RootElement.GetProperty("config").GetProperty("lambda-dist").GetString());
        Assert.Equal(2, run.RootElement.GetProperty("seed").GetInt32());
        // The comparison's own config.json runs it again (every run is finished: nothing to do).
        var again = App.Run("--config", Path.Combine(outDir, "config.json"));
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(4, again.Out.Split("nothing to do").Length - 1);
    }
}

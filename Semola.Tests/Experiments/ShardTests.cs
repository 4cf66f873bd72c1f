using System.Text.Json;
using Semola.Experiments;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Experiments;

public class ShardTests
{
    private const string Tiny = "--args=--train-size 8 --test-size 4 --steps 5 --epochs 1";

    [Theory]
    [InlineData("1/1", 1, 1)]
    [InlineData("2/5", 2, 5)]
    [InlineData("5/5", 5, 5)]
    [InlineData("10/12", 10, 12)]
    public void ParsesIOverN(string text, int i, int n)
    {
        Assert.Equal(new Shard(i, n), Shard.Parse(text));
        Assert.Equal(text, Shard.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("0/5")]
    [InlineData("6/5")]
    [InlineData("1/0")]
    [InlineData("-1/5")]
    [InlineData("+1/5")]
    [InlineData("1/5/2")]
    [InlineData(" 1/5")]
    [InlineData("1 /5")]
    [InlineData("a/b")]
    [InlineData("1.0/5")]
    [InlineData("99999999999/99999999999")]
    public void RejectsAnythingElse(string text)
    {
        var ex = Assert.Throws<ExperimentRunner.OptionException>(() => Shard.Parse(text));
        Assert.Contains("--shard", ex.Message);
    }

    [Fact]
    public void TheShardsRunEveryRunExactlyOnce()
    {
        for (int runs = 0; runs <= 13; runs++)
        {
            var all = Enumerable.Range(0, runs).ToArray();
            for (int n = 1; n <= 6; n++)
            {
                var taken = Enumerable.Range(1, n).SelectMany(i => new Shard(i, n).Select(all)).ToList();
                Assert.Equal(all, taken.Order());
                // Round robin: no shard has more than one run more than another.
                var sizes = Enumerable.Range(1, n).Select(i => new Shard(i, n).Select(all).Count).ToArray();
                Assert.True(sizes.Max() - sizes.Min() <= 1);
            }
        }
    }

    [Fact]
    public void TheComparisonGridHasAFixedOrderAndDistinctDirectories()
    {
        var o = new CompareOptions
        {
            Experiment = "nbody",
            Methods = "base,semola",
            Seeds = "1,2",
            Fractions = "0.5,1",
            Sweep = ["lambda-dist=0.3,1,3", "deterministic=true,false"],
            Args = "--epochs 2",
        };
        var runs = CompareCommand.PlanRuns(o, "OUT");
        Assert.Equal(2 * 2 * 3 * 2 * 2, runs.Count);
        Assert.Equal(Enumerable.Range(0, runs.Count), runs.Select(r => r.Index));
        Assert.Equal(runs.Count, runs.Select(r => r.Directory).Distinct().Count());
        Assert.Equal(Path.Combine("OUT", "base-f0.5-lambda-dist0.3-deterministictrue-s1"), runs[0].Directory);
        Assert.Equal(Path.Combine("OUT", "base-f0.5-lambda-dist0.3-deterministictrue-s2"), runs[1].Directory);
        Assert.Equal(Path.Combine("OUT", "base-f0.5-lambda-dist0.3-deterministicfalse-s1"), runs[2].Directory);
        Assert.Equal(Path.Combine("OUT", "semola-f1-lambda-dist3-deterministicfalse-s2"), runs[^1].Directory);
        Assert.Equal(["nbody", "--method", "base", "--seed", "1", "--fraction", "0.5", "--out", runs[0].Directory, "--lambda-dist=0.3", "--deterministic", "--epochs", "2"], runs[0].Arguments);
        Assert.DoesNotContain("--deterministic", runs[2].Arguments);
        var shards = Enumerable.Range(1, 5).Select(i => new Shard(i, 5).Select(runs)).ToArray();
        Assert.Equal(runs.Select(r => r.Directory).Order(), shards.SelectMany(s => s).Select(r => r.Directory).Order());
    }

    [Theory]
    [InlineData("lambda-dist", "sweep", "not of the form NAME=v1,v2")]
    [InlineData("frobnicate=1,2", "sweep", "nbody has no option --frobnicate")]
    [InlineData("method=base,semola", "sweep", "--methods")]
    [InlineData("seed=1,2", "sweep", "--seeds")]
    [InlineData("out=a,b", "sweep", "compare sets --out")]
    [InlineData("hidden=4,4.5", "sweep", "'4.5' is not a whole number")]
    [InlineData("lambda-dist=0.3,x", "sweep", "'x' is not a number")]
    [InlineData("deterministic=yes", "sweep", "'yes' is not true or false")]
    [InlineData("lambda-dist=1,1", "sweep", "each once")]
    [InlineData("epochs=1,2", "sweep", "given twice")]
    [InlineData("0/2", "shard", "i must be between 1 and n")]
    public void BadSweepsAndShardsAreOptionErrors(string value, string option, string expected)
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "cmp");
        var (code, _, err) = App.Run("compare", "--experiment", "nbody", $"--{option}", value, Tiny, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains(expected, err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ShardsWithoutARunOrWithFromAreOptionErrors()
    {
        Assert.Contains("needs --experiment", App.Run("compare", "--from", ".", "--shard", "1/2").Err);
        Assert.Contains("needs --experiment", App.Run("compare", "--from", ".", "--sweep", "hidden=4,8").Err);
        Assert.Contains("give --from to the merge step", App.Run("compare", "--experiment", "nbody", "--from", ".", "--shard", "1/2").Err);
        Assert.Contains("compare's own --seeds", App.Run("compare", "--experiment", "nbody", "--args=--seeds 1,2").Err);
    }

    [Fact]
    public void ShardedComparisonRunsEachRunOnceAndTheMergeTablesThemAll()
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "cmp");
        string[] sweep = ["compare", "--experiment", "nbody", "--methods", "base", "--seeds", "1,2", "--sweep", "hidden=4,8", Tiny, "--out", outDir];
        var started = new List<string>();
        for (int i = 1; i <= 3; i++)
        {
            var (code, output, err) = App.Run([.. sweep, "--shard", $"{i}/3"]);
            Assert.True(code == 0, err);
            Assert.Contains($"shard {i}/3", output);
            Assert.Contains("a shard writes no table", output);
            Assert.False(File.Exists(Path.Combine(outDir, "table.md")));
            started.AddRange(output.Split('\n').Where(l => l.StartsWith("compare: nbody", StringComparison.Ordinal)));
        }
        Assert.Equal(4, started.Count);
        Assert.Equal(4, started.Distinct().Count());
        Assert.Equal(["base-hidden4-s1", "base-hidden4-s2", "base-hidden8-s1", "base-hidden8-s2"],
            Directory.GetDirectories(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        var merged = App.Run("compare", "--from", outDir, "--out", outDir);
        Assert.True(merged.Code == 0, merged.Err);
        var md = File.ReadAllLines(Path.Combine(outDir, "table.md"));
        Assert.StartsWith("| experiment | variant | space | method | fraction | hidden | seeds |", md[0]);
        Assert.Equal(4, md.Length);
        Assert.StartsWith("| nbody | ood | shared-blocks | base | 1 | 4 | 1 2 |", md[2]);
        Assert.StartsWith("| nbody | ood | shared-blocks | base | 1 | 8 | 1 2 |", md[3]);

        // Running a shard again after it finished (as after a preemption) continues its runs, which are done.
        var again = App.Run([.. sweep, "--shard", "2/3"]);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("nothing to do", again.Out);
    }

    [Fact]
    public void AnExperimentVerbRunsItsSeedListByShards()
    {
        using var dir = new TempDirectory();
        string outDir = Path.Combine(dir.Path, "seeds");
        string[] run = ["nbody", "--method", "base", "--seeds", "1,2,3", "--train-size", "8", "--test-size", "4", "--steps", "5", "--hidden", "8", "--epochs", "1", "--out", outDir];
        var first = App.Run([.. run, "--shard", "1/2"]);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(["s1", "s3"], Directory.GetDirectories(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var second = App.Run([.. run, "--shard", "2/2"]);
        Assert.True(second.Code == 0, second.Err);
        foreach (int seed in new[] { 1, 2, 3 })
        {
            using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, $"s{seed}", "config.json")));
            var options = config.RootElement.GetProperty("options");
            Assert.Equal(seed, options.GetProperty("seed").GetInt32());
            Assert.False(options.TryGetProperty("seeds", out _));
            Assert.False(options.TryGetProperty("shard", out _));
        }
        using (var list = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "config.json"))))
        {
            Assert.Equal("1,2,3", list.RootElement.GetProperty("options").GetProperty("seeds").GetString());
            Assert.False(list.RootElement.GetProperty("options").TryGetProperty("seed", out _));
        }

        var merged = App.Run("compare", "--from", outDir, "--out", Path.Combine(dir.Path, "table"));
        Assert.True(merged.Code == 0, merged.Err);
        Assert.StartsWith("| nbody | ood | shared-blocks | base | 1 | 1 2 3 |", File.ReadAllLines(Path.Combine(dir.Path, "table", "table.md"))[2]);

        // The same command again continues each seed's finished run; the list's config.json runs it too.
        var again = App.Run("--config", Path.Combine(outDir, "config.json"));
        Assert.True(again.Code == 0, again.Err);
        Assert.Equal(3, again.Out.Split("nothing to do").Length - 1);

        Assert.Contains("not both", App.Run([.. run, "--seed", "4"]).Err);
        var idle = App.Run("nbody", "--shard", "2/2", "--out", Path.Combine(dir.Path, "single"));
        Assert.Equal(0, idle.Code);
        Assert.Contains("nothing to do", idle.Out);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "single")));
    }
}

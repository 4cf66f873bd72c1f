using Semola.Experiments;

namespace Semola.Tests.Experiments;

public class CompareCommandTests
{
    private static string Fixture(string dir, string method, int seed, double accuracy, double? cosine)
    {
        string d = Path.Combine(dir, $"{method}-s{seed}");
        Directory.CreateDirectory(d);
        string gens = cosine is null ? "[]" : "[[[0, -0.7071, 0], [0.7071, 0, 0], [0, 0, 0]]]";
        string cos = cosine is null ? "null" : cosine.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(d, "results.json"), $$"""
            { "experiment": "rotmnist", "method": "{{method}}", "variant": "ood", "seed": {{seed}}, "finished": true,
              "metrics": { "test_accuracy": {{accuracy.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "validation_accuracy": 0.5, "generator_cosine": {{cos}} },
              "generators": {{gens}}, "ground_truth": [[0, -1, 0], [1, 0, 0], [0, 0, 0]] }
            """);
        return d;
    }

    [Fact]
    public void BuildsTheTableAndFigureFromFinishedRuns()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            Fixture(dir, "base", 1, 0.5, null);
            Fixture(dir, "base", 2, 0.7, null);
            Fixture(dir, "semola", 1, 0.8, 0.99);
            Fixture(dir, "semola", 2, 0.9, 0.97);
            var o = new StringWriter();
            var e = new StringWriter();
            int code = ExperimentsApp.Run(["compare", "--from", dir, "--out", Path.Combine(dir, "cmp")], o, e);
            Assert.True(code == 0, e.ToString());
            var md = File.ReadAllLines(Path.Combine(dir, "cmp", "table.md"));
            Assert.Equal("| experiment | variant | space | method | fraction | seeds | generator_cosine | test_accuracy |", md[0]);
            Assert.Equal("| rotmnist | ood |  | base | 1 | 1 2 | | 0.6 ± 0.14 |", md[2]);
            Assert.Equal("| rotmnist | ood |  | semola | 1 | 1 2 | 0.98 ± 0.014 | 0.85 ± 0.071 |", md[3]);
            var csv = File.ReadAllLines(Path.Combine(dir, "cmp", "table.csv"));
            Assert.Equal("rotmnist,ood,,semola,1,1 2,0.98,0.0141421,0.85,0.0707107", csv[2]);
            Assert.Contains("semola ood s1 (cos 1.000)", File.ReadAllText(Path.Combine(dir, "cmp", "generators.svg")));
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
    public void RunsMethodsOverSeedsAndResumesFinishedOnes()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args = ["compare", "--experiment", "nbody", "--methods", "base,gt-aug", "--seeds", "1,2", "--args=--train-size 8 --test-size 4 --steps 5 --hidden 8 --epochs 1", "--out", dir];
            var e = new StringWriter();
            Assert.True(ExperimentsApp.Run(args, new StringWriter(), e) == 0, e.ToString());
            var md = File.ReadAllLines(Path.Combine(dir, "table.md"));
            Assert.Equal(4, md.Length);
            Assert.Contains("| nbody | ood | shared-blocks | gt-aug | 1 | 1 2 |", md[3]);
            var again = new StringWriter();
            Assert.Equal(0, ExperimentsApp.Run(args, again, new StringWriter()));
            Assert.Contains("nothing to do", again.ToString());
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
    public void TheSampleEfficiencyStudyTrainsOnFractionsAndPlotsThem()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            string[] args = ["compare", "--experiment", "nbody", "--methods", "base", "--seeds", "1", "--fractions", "0.5,1", "--args=--train-size 12 --test-size 4 --steps 5 --hidden 8 --epochs 1", "--out", dir];
            var e = new StringWriter();
            Assert.True(ExperimentsApp.Run(args, new StringWriter(), e) == 0, e.ToString());
            var md = File.ReadAllLines(Path.Combine(dir, "table.md"));
            Assert.Contains("| base | 0.5 | 1 |", md[2]);
            Assert.Contains("| base | 1 | 1 |", md[3]);
            Assert.Contains("<polyline", File.ReadAllText(Path.Combine(dir, "sample-efficiency.svg")));
            using var half = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "base-f0.5-s1", "results.json")));
            using var full = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "base-f1-s1", "results.json")));
            int n = full.RootElement.GetProperty("train_samples").GetInt32();
            Assert.Equal((int)Math.Round(n * 0.5), half.RootElement.GetProperty("train_samples").GetInt32());
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
    public void FromReadsRunsAtAnyDepthOnceAndLeavesDiscoverResultsOut()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            Fixture(Path.Combine(dir, "week1", "cmp"), "base", 1, 0.5, null);
            Fixture(Path.Combine(dir, "week2"), "base", 2, 0.7, null);
            string disc = Path.Combine(dir, "week2", "discover");
            Directory.CreateDirectory(disc);
            File.WriteAllText(Path.Combine(disc, "results.json"), """{ "verb": "discover", "seed": 1, "generators": [], "accepted": [], "symmetry_found": false }""");
            var e = new StringWriter();
            // week2 given twice (once through dir): each run counts once.
            int code = ExperimentsApp.Run(["compare", "--from", $"{dir},{Path.Combine(dir, "week2")}", "--out", Path.Combine(dir, "out")], new StringWriter(), e);
            Assert.True(code == 0, e.ToString());
            var md = File.ReadAllLines(Path.Combine(dir, "out", "table.md"));
            Assert.Equal(["| rotmnist | ood |  | base | 1 | 1 2 | 0.6 ± 0.14 |"], md[2..]);
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
    public void ASweptVariantGetsNoSecondColumn()
    {
        string dir = Path.Combine(Path.GetTempPath(), "semola-compare-" + Guid.NewGuid().ToString("N"));
        try
        {
            Fixture(dir, "base", 1, 0.5, null);
            File.WriteAllText(Path.Combine(dir, "config.json"), """{ "verb": "compare", "options": { "experiment": "rotmnist", "sweep": ["variant=id,ood"] } }""");
            var e = new StringWriter();
            Assert.True(ExperimentsApp.Run(["compare", "--from", dir, "--out", Path.Combine(dir, "out")], new StringWriter(), e) == 0, e.ToString());
            Assert.Equal("| experiment | variant | space | method | fraction | seeds | test_accuracy |", File.ReadAllLines(Path.Combine(dir, "out", "table.md"))[0]);
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
    public void NothingToCompareIsAnOptionError()
    {
        var e = new StringWriter();
        Assert.Equal(2, ExperimentsApp.Run(["compare"], new StringWriter(), e));
        Assert.Contains("--experiment", e.ToString());
    }
}

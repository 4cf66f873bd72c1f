using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Semola.Tests.Experiments;

public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "semola-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static string N(double v) => v.ToString(CultureInfo.InvariantCulture);

    private void Run(string sub, string method, int seed, double accuracy, double? cosine, double fraction = 1, int epochs = 3, bool finished = true)
    {
        string d = Path.Combine(_dir, sub);
        Directory.CreateDirectory(d);
        string gens = cosine is null ? "[]" : "[[[0, -0.7071, 0], [0.7071, 0, 0], [0, 0, 0]]]";
        string history = string.Join(",", Enumerable.Range(1, epochs).Select(e =>
            $$"""{ "epoch": {{e}}, "phase": "train", "losses": { "total": {{N(2.0 / e)}}, "task": {{N(1.0 / e)}} }, "validation": { "accuracy": {{N(accuracy * e / epochs)}} }, "test": null, "generator_cosine": {{(cosine is null ? "null" : N(cosine.Value * e / epochs))}}, "subspace_similarity": null, "extents": [], "seconds": 0.1 }"""));
        File.WriteAllText(Path.Combine(d, "results.json"), $$"""
            { "experiment": "rotmnist", "method": {{System.Text.Json.JsonSerializer.Serialize(method)}}, "variant": "ood", "seed": {{seed}}, "fraction": {{N(fraction)}},
              "finished": {{(finished ? "true" : "false")}}, "diverged": false, "epochs": {{epochs}}, "total_epochs": 5, "wall_seconds": 12.5,
              "metrics": { "test_accuracy": {{N(accuracy)}}, "validation_accuracy": 0.5, "generator_cosine": {{(cosine is null ? "null" : N(cosine.Value))}} },
              "generators": {{gens}}, "extents": [], "ground_truth": [[0, -1, 0], [1, 0, 0], [0, 0, 0]], "history": [{{history}}] }
            """);
    }

    private void Discover(string sub)
    {
        string d = Path.Combine(_dir, sub);
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "results.json"), """
            { "verb": "discover", "seed": 3, "generators": [[[0, -1], [1, 0]], [[1, 0], [0, -1]]], "extents": [0.9, 0.4],
              "accepted": [true, false], "p_values": [0.4321, 0.00012], "symmetry_found": true, "bracket_closure": [0.002] }
            """);
        File.WriteAllText(Path.Combine(d, "summary.md"), """
            # Discovery

            One generator **accepted**: consistent with `so(2)`. <img src="http://example.com/x.png">

            - L1 accepted (p = 0.43)
            - L2 rejected (p < 0.001)

            | generator | p |
            |---|---|
            | L1 | 0.43 |
            """);
    }

    private static XDocument Parse(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        return XDocument.Parse(html["<!DOCTYPE html>".Length..]);
    }

    private static void SelfContained(XDocument doc)
    {
        // Nothing to fetch: no element that loads a resource, no attribute pointing outside the page (the SVG namespace
        // declaration is a name, not a download), no imports or urls in the style sheet.
        string[] loaders = ["script", "link", "img", "iframe", "object", "embed", "image", "use", "foreignObject"];
        Assert.DoesNotContain(doc.Descendants(), e => loaders.Contains(e.Name.LocalName));
        var attributes = doc.Descendants().SelectMany(e => e.Attributes()).Where(a => !a.IsNamespaceDeclaration).ToList();
        Assert.DoesNotContain(attributes, a => a.Name.LocalName is "src" or "srcset" or "background" || a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        Assert.DoesNotContain(attributes, a => a.Name.LocalName == "href" && !a.Value.StartsWith('#'));
        Assert.DoesNotContain(attributes, a => a.Value.Contains("http", StringComparison.OrdinalIgnoreCase) || a.Value.Contains("url(", StringComparison.Ordinal));
        string style = string.Concat(doc.Descendants("style").Select(e => e.Value));
        Assert.DoesNotContain("@import", style, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", style, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildsOneSelfContainedPageFromRunsDiscoveryAndCompareTables()
    {
        Run("runs/base-s1", "base", 1, 0.5, null);
        Run("runs/base-s2", "base", 2, 0.7, null);
        Run("runs/nested/semola-s1", "semola", 1, 0.8, 0.99);
        Run("runs/nested/semola-s2", "semola", 2, 0.9, 0.97);
        Run("runs/evil-s1", "<script>alert('x')</script>&", 1, 0.3, null, fraction: 0.5, epochs: 0);
        Run("runs/cut-s3", "base", 3, 0.1, null, epochs: 0, finished: false);
        Discover("disc/full");
        Directory.CreateDirectory(Path.Combine(_dir, "disc", "bare"));
        File.WriteAllText(Path.Combine(_dir, "disc", "bare", "results.json"), """{ "accepted": [null], "generators": [[[0, 1], [-1, 0]]] }""");
        Directory.CreateDirectory(Path.Combine(_dir, "cmp"));
        File.WriteAllText(Path.Combine(_dir, "cmp", "table.csv"), "experiment,variant,method,test_mse_mean\nqm9,ood,\"a,<b>\",0.125\n");

        var (code, output, err) = App.Run("report", "--from", $"{Path.Combine(_dir, "runs")},{Path.Combine(_dir, "disc")},{Path.Combine(_dir, "cmp")}", "--title", "T & <i>");
        Assert.True(code == 0, err);
        string path = Path.Combine(_dir, "runs", "report.html");
        Assert.Contains(path, output, StringComparison.Ordinal);
        string html = File.ReadAllText(path);
        var doc = Parse(html);
        SelfContained(doc);
        Assert.Equal("T & <i>", doc.Root!.Element("head")!.Element("title")!.Value);

        // The summary: mean and sample standard deviation over seeds, as compare computes them.
        var rows = doc.Descendants("tr").Select(tr => string.Join("|", tr.Elements().Select(c => c.Value))).ToList();
        Assert.Contains("ood||base|1|1 2|0.6 ± 0.14|–|12.5 ± 0", rows);
        Assert.Contains("ood||semola|1|1 2|0.85 ± 0.071|0.98 ± 0.014|12.5 ± 0", rows);
        Assert.Contains("ood||<script>alert('x')</script>&|0.5|1|0.3|–|12.5", rows);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);

        // One figure each: sample efficiency; the two semola runs' generators; discover's candidates; training curves
        // (losses and validation for the four runs with a history, plus the generator cosine for the two semola runs).
        Assert.Equal(1 + 2 + 2 + (4 * 2) + 2, Regex.Matches(html, "<svg").Count);
        Assert.Contains(doc.Descendants("li"), li => li.Value == "cut-s3: rotmnist ood base, seed 3: 0 of 5 epochs");
        Assert.DoesNotContain(rows, r => r.StartsWith("ood||base|1|1 2 3", StringComparison.Ordinal));
        Assert.Contains("learned L1 (cos 1.000)", html, StringComparison.Ordinal);

        // discover: verdicts, p-values, closure and the summary's markdown (escaped).
        Assert.Contains("L1|0.9|0.4321|accepted", rows);
        Assert.Contains("L2|0.4|0.00012|rejected", rows);
        Assert.Contains("L2 rejected (p 0.00012)", html, StringComparison.Ordinal);
        Assert.Contains("bracket closure residual: largest 0.002", html, StringComparison.Ordinal);
        // A discover result with few fields still gets its section.
        Assert.Contains(doc.Descendants("li"), li => li.Value == "symmetry found: not recorded");
        Assert.Contains("L1|–|–|–", rows);
        var md = doc.Descendants("div").Single(d => (string?)d.Attribute("class") == "md");
        Assert.Equal("Discovery", md.Element("h4")!.Value);
        Assert.Equal(["L1 accepted (p = 0.43)", "L2 rejected (p < 0.001)"], md.Descendants("li").Select(l => l.Value));
        Assert.Equal("accepted", md.Descendants("strong").Single().Value);
        Assert.Equal("so(2)", md.Descendants("code").Single().Value);
        Assert.Contains("<img src=\"http://example.com/x.png\">", md.Value, StringComparison.Ordinal);
        Assert.Contains("L1|0.43", rows);

        // The compare table whose runs are not here, its quoted cell escaped.
        Assert.Contains("qm9|ood|a,<b>|0.125", rows);
    }

    [Fact]
    public void ReadsWhatTheExperimentVerbsWrite()
    {
        string run = Path.Combine(_dir, "run");
        var (code, _, err) = App.Run("nbody", "--method", "semola", "--train-size", "8", "--test-size", "4", "--steps", "5", "--hidden", "8", "--epochs", "2", "--out", run);
        Assert.True(code == 0, err);
        string outFile = Path.Combine(_dir, "pages", "r.html");
        (code, _, err) = App.Run("report", "--from", run, "--out", outFile);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(outFile);
        var doc = Parse(html);
        SelfContained(doc);
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "results.json")));
        double mse = json.RootElement.GetProperty("metrics").GetProperty("test_mse").GetDouble();
        Assert.Contains(doc.Descendants("td"), td => td.Value == mse.ToString("G4", CultureInfo.InvariantCulture));
        // The generators beside the reference, then the losses, the validation metrics and the similarity to the reference.
        Assert.Equal(4, Regex.Matches(html, "<svg").Count);
        Assert.Contains(">total</text>", html, StringComparison.Ordinal);
        Assert.Contains(">equivariance_error</text>", html, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "pages"), "*.tmp"));
    }

    [Fact]
    public void AMalformedResultsFileIsAnErrorNamingIt()
    {
        Run("runs/good", "base", 1, 0.5, null);
        string bad = Path.Combine(_dir, "runs", "bad", "results.json");
        Directory.CreateDirectory(Path.GetDirectoryName(bad)!);
        File.WriteAllText(bad, "{ \"experiment\": \"rotmnist\", \"metrics\": ");
        var (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "runs"));
        Assert.Equal(1, code);
        Assert.Contains(bad, err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "runs", "report.html")));

        File.WriteAllText(bad, "{ \"experiment\": \"rotmnist\", \"method\": \"base\", \"seed\": \"one\", \"metrics\": {} }");
        (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "runs"));
        Assert.Equal(1, code);
        Assert.Contains(bad, err, StringComparison.Ordinal);
    }

    /// <summary>A discover results.json with the fields and layout the discover verb writes (two candidates, one accepted).</summary>
    private void RealDiscover(string sub)
    {
        string d = Path.Combine(_dir, sub);
        Directory.CreateDirectory(d);
        File.WriteAllText(Path.Combine(d, "results.json"), """
            {
              "verb": "discover", "data": "synthetic:so3", "inputs": ["v1x", "v1y", "v1z", "v2x", "v2y", "v2z"], "targets": ["y"],
              "component": 3, "target_kind": "invariant", "task": "regression", "classes": null, "seed": 7, "device": "cpu",
              "version": "1.0.0.0", "run_id": "abc", "data_sha256": "00", "rows": { "train": 2880, "validation": 320, "held_out": 800 },
              "input_scale": 0.996, "alpha": 0.01, "tolerance": 2,
              "generators": [[[0, -0.7071, 0], [0.7071, 0, 0], [0, 0, 0]], [[0.5774, 0, 0], [0, 0.5774, 0], [0, 0, 0.5774]]],
              "extents": [0.973156, 0.25],
              "accepted": [true, false], "p_values": [0.93, 0.0004], "symmetry_found": true,
              "distribution_symmetric": [true, false], "distribution_p_values": [0.7733, 0.0001],
              "tests": [
                { "generator": 1, "compact": true, "half_period": 3.1416, "test_magnitude": 0.5504, "loss_original": 0.3471, "loss_transformed": 0.3858,
                  "loss_ratio": 1.112, "loss_ratio_ci95": [1.045, 1.181], "t_statistic": -1.2, "p_value": 0.93, "accepted": true,
                  "distribution_accuracy": 0.4825, "distribution_samples": 400, "distribution_p_value": 0.7733 },
                { "generator": 2, "compact": false, "half_period": null, "test_magnitude": 0.31, "loss_original": 0.3471, "loss_transformed": 2.9,
                  "loss_ratio": 8.35, "loss_ratio_ci95": [6.5, 10.25], "t_statistic": 4.1, "p_value": 0.0004, "accepted": false,
                  "distribution_accuracy": 0.91, "distribution_samples": 400, "distribution_p_value": 0.0001 }
              ],
              "bracket_closure": { "accepted": 0, "all": 0.0125, "pairs": [ { "i": 1, "j": 2, "bracket_norm": 0.0031, "relative_residual": 0.0125 } ] },
              "subspace_similarity": { "so3": 0.5773 },
              "similarity_to_known": { "so3": 0.5773, "scale": 0.0012 },
              "spectrum": { "values": [0.0021, 0.178434, 0.235547], "count": 1, "rows": 512, "directions": [[[0, -1, 0], [1, 0, 0], [0, 0, 0]]], "similarity_to_accepted": 0.9876 },
              "reference_model": { "held_out_mse": 0.3471, "held_out_mae": 0.421, "validation_mse": 0.3667, "validation_mae": 0.434 },
              "semola_model": { "held_out_mse": 0.6313, "validation_mse": 0.6795 },
              "wall_seconds": 10.22,
              "calibration": { "inside": { "directions": 20, "accepted": 19, "acceptance_rate": 0.95, "loss_ratios": [1.1, 1.2] },
                               "outside": { "directions": 20, "accepted": 1, "acceptance_rate": 0.05, "loss_ratios": [5.0, 6.0] } },
              "config": { "data": "synthetic:so3", "epochs": "10", "seed": "7", "out": "x" }
            }
            """);
    }

    [Fact]
    public void ShowsEveryPartOfARealDiscoverResult()
    {
        RealDiscover("disc");
        var (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "disc"));
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(_dir, "disc", "report.html"));
        var doc = Parse(html);
        SelfContained(doc);
        var rows = doc.Descendants("tr").Select(tr => string.Join("|", tr.Elements().Select(c => c.Value))).ToList();
        var items = doc.Descendants("li").Select(li => li.Value).ToList();

        Assert.Contains("data: synthetic:so3; 6 input column(s) (v1x, v1y, v1z, v2x, v2y, v2z) → y (regression, invariant target)", items);
        Assert.Contains("rows: train 2880, validation 320, held-out 800", items);
        Assert.Contains("seed 7, run time 10.2 s", items);
        Assert.Contains("generators: 2, accepted: 1 (target test at alpha 0.01, loss ratio tolerance 2)", items);
        // bracket_closure is an object: the accepted span's and all candidates' residuals, then each pair.
        Assert.Contains("bracket closure residual: accepted span – (1 generator(s): nothing to close), all candidates 0.0125", items);
        Assert.Contains("[L1, L2]|0.0031|0.0125", rows);
        Assert.Contains("subspace similarity of the accepted span with the data's so3: 0.5773", items);
        Assert.Contains("symmetry spectrum of the reference model: 1 direction(s) below the gap; smallest values 0.0021, 0.1784, 0.2355; similarity with the accepted span 0.9876", items);

        // One row per candidate: target test, loss ratio with its interval, magnitude, distribution test, compactness.
        Assert.Contains("generator|extent|p-value|verdict|loss ratio [95% CI]|test magnitude|distribution kept (classifier accuracy, p)|compact", rows);
        Assert.Contains("L1|0.9732|0.93|accepted|1.112 [1.045, 1.181]|0.5504|yes (accuracy 0.4825, p 0.7733)|yes, half period 3.142", rows);
        Assert.Contains("L2|0.25|0.0004|rejected|8.35 [6.5, 10.25]|0.31|no (accuracy 0.91, p 0.0001)|no", rows);

        // The two models' errors (a metric one of them lacks is a dash), the known algebras, the calibration.
        Assert.Contains("model|held out mae|held out mse|validation mae|validation mse", rows);
        Assert.Contains("reference model (no augmentation)|0.421|0.3471|0.434|0.3667", rows);
        Assert.Contains("model trained with the learned symmetry|–|0.6313|–|0.6795", rows);
        Assert.Contains("so3|0.5773", rows);
        Assert.Contains("scale|0.0012", rows);
        Assert.Contains("inside the true algebra|20|19|0.95", rows);
        Assert.Contains("outside the true algebra|20|1|0.05", rows);

        // The candidates as heat maps; no summary table of training runs (discover has no metrics to average).
        Assert.Contains("L2 rejected (p 0.0004)", html, StringComparison.Ordinal);
        Assert.Single(Regex.Matches(html, "<svg"));
        Assert.DoesNotContain("id=\"summary\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void RunsThatDifferInARecordedOptionGetTheirOwnRowsAsInCompare()
    {
        foreach (var (value, seed, accuracy) in new[] { ("3", 1, 0.5), ("3", 2, 0.7), ("0.3", 1, 0.8), ("0.3", 2, 0.9) })
        {
            string d = Path.Combine(_dir, "sweep", $"semola-lambda-dist{value}-s{seed}");
            Directory.CreateDirectory(d);
            File.WriteAllText(Path.Combine(d, "results.json"), $$"""
                { "experiment": "nbody", "method": "semola", "variant": "ood", "seed": {{seed}}, "finished": true,
                  "metrics": { "test_mse": {{N(accuracy)}} }, "generators": [], "config": { "lambda-dist": "{{value}}", "seed": "{{seed}}", "out": "{{seed}}" } }
                """);
        }
        var (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "sweep"));
        Assert.True(code == 0, err);
        var doc = Parse(File.ReadAllText(Path.Combine(_dir, "sweep", "report.html")));
        var rows = doc.Descendants("tr").Select(tr => string.Join("|", tr.Elements().Select(c => c.Value))).ToList();
        Assert.Contains("variant|space|method|fraction|lambda-dist|seeds|test_mse", rows);
        Assert.Equal(["ood||semola|1|0.3|1 2|0.85 ± 0.071", "ood||semola|1|3|1 2|0.6 ± 0.14"], rows.Where(r => r.StartsWith("ood|", StringComparison.Ordinal)));
    }

    [Fact]
    public void BadOptionsAreClearErrors()
    {
        var (code, _, err) = App.Run("report");
        Assert.Equal(2, code);
        Assert.Contains("--from", err, StringComparison.Ordinal);

        (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "missing"));
        Assert.Equal(1, code);
        Assert.Contains("missing", err, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        (code, _, err) = App.Run("report", "--from", Path.Combine(_dir, "empty"));
        Assert.Equal(1, code);
        Assert.Contains("no results.json", err, StringComparison.Ordinal);
    }
}

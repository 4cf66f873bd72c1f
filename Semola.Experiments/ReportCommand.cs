using System.Globalization;
using System.Net;
using System.Text;
using Semola.Core.Lie;

namespace Semola.Experiments;

/// <summary>
/// The <c>report</c> verb: reads every results.json under the --from directories (and the table.csv of compare outputs
/// whose runs are not there) and writes one self-contained HTML page: a summary table per experiment (mean and standard
/// deviation over seeds), sample-efficiency plots, each run's learned generators beside the reference, the verdicts of
/// <c>discover</c> runs with their summary.md, and each run's training curves. Figures are inline SVG and the style is
/// inline, so the page needs no network.
/// </summary>
public static class ReportCommand
{
    private static readonly string[] KeyMetrics = ["test_accuracy", "test_mae", "test_mse", "generator_cosine", "subspace_similarity"];

    private const string Style = """
        body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-top: 1.5em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
        th { background: #f2f2f2; } td.t, th.t { text-align: left; }
        figure { margin: 1em 0; overflow-x: auto; } figcaption, caption { font-size: 0.9em; color: #555; } caption { text-align: left; }
        .ok { color: #1a7f37; font-weight: bold; } .no { color: #b42318; font-weight: bold; }
        .note { color: #555; font-size: 0.9em; } details { margin: 0.6em 0; } summary { cursor: pointer; font-weight: bold; }
        .md { border-left: 3px solid #ccc; padding-left: 1em; } pre { background: #f6f6f6; padding: 0.5em; overflow-x: auto; }
        nav ul { list-style: none; padding-left: 0; } nav li { display: inline; margin-right: 1.2em; }
        """;

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(ReportOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        var froms = o.From.Select(f => f.Trim()).Where(f => f.Length > 0).ToList();
        if (froms.Count == 0)
        {
            throw new ExperimentRunner.OptionException("report needs --from DIR[,DIR...]: result directories to read.");
        }
        var runs = new List<(RunResult Result, string Label)>();
        var tables = new List<(string Path, string Label)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var from in froms)
        {
            if (!Directory.Exists(from))
            {
                throw new IOException($"--from '{from}' is not a directory.");
            }
            var files = ResultsReader.Find(from);
            foreach (var file in files.Where(f => seen.Add(Path.GetFullPath(f))))
            {
                runs.Add((ResultsReader.Read(file), Label(from, Path.GetDirectoryName(file)!)));
            }
            var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint };
            foreach (var table in Directory.EnumerateFiles(from, "table.csv", options).Order(StringComparer.Ordinal))
            {
                string dir = Path.GetDirectoryName(table)! + Path.DirectorySeparatorChar;
                if (!files.Any(f => f.StartsWith(dir, StringComparison.Ordinal)) && seen.Add(Path.GetFullPath(table)))
                {
                    tables.Add((table, Label(from, Path.GetDirectoryName(table)!)));
                }
            }
        }
        if (runs.Count == 0 && tables.Count == 0)
        {
            throw new IOException($"report: no results.json (or compare table.csv) was found under {string.Join(", ", froms)}.");
        }
        string outPath = o.Out ?? Path.Combine(froms[0], "report.html");
        if (Directory.Exists(outPath))
        {
            outPath = Path.Combine(outPath, "report.html");
        }
        string html = Page(o.Title, froms, runs, tables);
        OutputFiles.WriteAtomic(outPath, html);
        output.WriteLine($"report: {runs.Count} run(s), {tables.Count} compare table(s) -> {Path.GetFullPath(outPath)}");
        return 0;
    }

    /// <summary>The whole page (exposed for tests).</summary>
    internal static string Page(string title, IReadOnlyList<string> froms, List<(RunResult Result, string Label)> runs, List<(string Path, string Label)> tables)
    {
        var ic = CultureInfo.InvariantCulture;
        var training = runs.Where(r => !r.Result.IsDiscover).ToList();
        var finished = training.Where(r => r.Result.Finished).ToList();
        var discover = runs.Where(r => r.Result.IsDiscover).ToList();
        var withGenerators = training.Where(r => r.Result.Generators.Count > 0).ToList();
        var withHistory = runs.Where(r => r.Result.History.Count > 0).ToList();
        var efficiency = finished.GroupBy(r => r.Result.Experiment).Where(g => g.Select(r => r.Result.Fraction).Distinct().Count() > 1).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
        sb.Append("<title>").Append(H(title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>").Append(H(title)).Append("</h1>\n");
        sb.Append(ic, $"<p class=\"note\">{runs.Count} run(s) read from {H(string.Join(", ", froms))}; written by Semola {H(ResultsWriter.Version)}.</p>\n");
        var nav = new List<(string Id, string Name)>();
        if (finished.Count > 0 || training.Count > finished.Count)
        {
            nav.Add(("summary", "Summary"));
        }
        if (efficiency.Count > 0)
        {
            nav.Add(("sample-efficiency", "Sample efficiency"));
        }
        if (withGenerators.Count > 0)
        {
            nav.Add(("generators", "Learned generators"));
        }
        if (discover.Count > 0)
        {
            nav.Add(("discover", "Discovery"));
        }
        if (withHistory.Count > 0)
        {
            nav.Add(("curves", "Training curves"));
        }
        if (tables.Count > 0)
        {
            nav.Add(("compare-tables", "Compare tables"));
        }
        sb.Append("<nav><ul>");
        foreach (var (id, name) in nav)
        {
            sb.Append("<li><a href=\"#").Append(id).Append("\">").Append(name).Append("</a></li>");
        }
        sb.Append("</ul></nav>\n");

        if (nav.Any(n => n.Id == "summary"))
        {
            Summary(sb, finished.Select(r => r.Result).ToList(), training.Where(r => !r.Result.Finished).ToList());
        }
        if (efficiency.Count > 0)
        {
            sb.Append("<h2 id=\"sample-efficiency\">Sample efficiency</h2>\n");
            foreach (var g in efficiency)
            {
                var results = g.Select(r => r.Result).ToList();
                string metric = results.Any(r => r.Metrics.ContainsKey("test_accuracy")) ? "test_accuracy" : results.Any(r => r.Metrics.ContainsKey("test_mae")) ? "test_mae" : "test_mse";
                sb.Append("<figure>\n").Append(LinePlot.Svg("training fraction", metric, ResultsReader.SampleEfficiency(results, metric, ResultsReader.SettingColumns(results, []))));
                sb.Append(ic, $"<figcaption>{H(g.Key)}: {H(metric)} against the training fraction per method (mean and standard deviation over seeds).</figcaption>\n</figure>\n");
            }
        }
        if (withGenerators.Count > 0)
        {
            sb.Append("<h2 id=\"generators\">Learned generators</h2>\n<p class=\"note\">Each learned generator beside the reference (scaled to unit norm), with its cosine similarity to it; blue is negative, red positive.</p>\n");
            foreach (var (r, label) in withGenerators)
            {
                var panels = new List<(string, double[,])>();
                if (r.Truth is not null)
                {
                    panels.Add(("reference", GeneratorFigure.UnitNorm(r.Truth)));
                }
                for (int i = 0; i < r.Generators.Count; i++)
                {
                    double cos = Cosine(r.Generators[i], r.Truth);
                    panels.Add((double.IsNaN(cos) ? $"learned L{i + 1}" : string.Create(ic, $"learned L{i + 1} (cos {cos:F3})"), r.Generators[i]));
                }
                sb.Append("<figure>\n").Append(GeneratorFigure.Svg(panels));
                sb.Append("<figcaption>").Append(H(RunName(r, label))).Append("</figcaption>\n</figure>\n");
            }
        }
        if (discover.Count > 0)
        {
            sb.Append("<h2 id=\"discover\">Discovery</h2>\n");
            foreach (var (r, label) in discover)
            {
                Discover(sb, r, label);
            }
        }
        if (withHistory.Count > 0)
        {
            sb.Append("<h2 id=\"curves\">Training curves</h2>\n");
            foreach (var (r, label) in withHistory)
            {
                Curves(sb, r, label);
            }
        }
        if (tables.Count > 0)
        {
            sb.Append("<h2 id=\"compare-tables\">Compare tables</h2>\n<p class=\"note\">Tables written by compare whose runs are not among the directories read.</p>\n");
            foreach (var (path, label) in tables)
            {
                sb.Append("<h3>").Append(H(label)).Append("</h3>\n");
                CsvTable(sb, path);
            }
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, List<RunResult> finished, List<(RunResult Result, string Label)> unfinished)
    {
        var ic = CultureInfo.InvariantCulture;
        sb.Append("<h2 id=\"summary\">Summary</h2>\n<p class=\"note\">Finished runs grouped over seeds: mean ± sample standard deviation where there are several seeds. Runs that differ in another recorded option (such as a swept weight) get a column for it and separate rows.</p>\n");
        foreach (var experiment in finished.GroupBy(r => r.Experiment).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var keys = experiment.SelectMany(r => r.Metrics.Keys).Distinct().OrderBy(MetricRank).ThenBy(k => k, StringComparer.Ordinal).ToList();
            var columns = ResultsReader.SettingColumns(experiment.ToList(), []);
            bool wall = experiment.Any(r => double.IsFinite(r.WallSeconds));
            sb.Append("<h3>").Append(H(experiment.Key)).Append("</h3>\n<table>\n<tr><th class=\"t\">variant</th><th class=\"t\">space</th><th class=\"t\">method</th><th>fraction</th>");
            foreach (var c in columns)
            {
                sb.Append("<th>").Append(H(c)).Append("</th>");
            }
            sb.Append("<th>seeds</th>");
            foreach (var k in keys)
            {
                sb.Append("<th>").Append(H(k)).Append("</th>");
            }
            if (wall)
            {
                sb.Append("<th>wall time (s)</th>");
            }
            sb.Append("</tr>\n");
            foreach (var g in ResultsReader.Groups(experiment, columns))
            {
                sb.Append("<tr><td class=\"t\">").Append(H(g.Variant)).Append("</td><td class=\"t\">").Append(H(g.Space)).Append("</td><td class=\"t\">").Append(H(g.Method));
                sb.Append(ic, $"</td><td>{g.Fraction:G4}</td>");
                foreach (var v in g.Settings)
                {
                    sb.Append("<td>").Append(H(v)).Append("</td>");
                }
                sb.Append("<td>").Append(H(g.Seeds)).Append("</td>");
                foreach (var k in keys)
                {
                    sb.Append("<td>").Append(MeanSd(g.Values(k))).Append("</td>");
                }
                if (wall)
                {
                    sb.Append("<td>").Append(MeanSd(g.Runs.Select(r => r.WallSeconds).Where(double.IsFinite).ToArray())).Append("</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        if (unfinished.Count > 0)
        {
            sb.Append("<p>Not in the tables (unfinished or diverged):</p>\n<ul>\n");
            foreach (var (r, label) in unfinished)
            {
                string state = r.Diverged ? "diverged" : string.Create(ic, $"{r.Epochs.Done} of {r.Epochs.Total} epochs");
                sb.Append("<li>").Append(H(RunName(r, label))).Append(": ").Append(H(state)).Append("</li>\n");
            }
            sb.Append("</ul>\n");
        }
    }

    private static void Discover(StringBuilder sb, RunResult r, string label)
    {
        var ic = CultureInfo.InvariantCulture;
        sb.Append("<h3>").Append(H(label)).Append("</h3>\n<ul>\n");
        if (r.Data.Length > 0)
        {
            string shape = r.Inputs.Count > 0 || r.Targets.Count > 0
                ? string.Create(ic, $"; {r.Inputs.Count} input column(s) ({H(Names(r.Inputs))}) → {H(Names(r.Targets))}") : string.Empty;
            string kind = string.Join(", ", new[] { r.Task, r.TargetKind.Length > 0 ? r.TargetKind + " target" : string.Empty }.Where(t => t.Length > 0));
            sb.Append("<li>data: ").Append(H(r.Data)).Append(shape).Append(kind.Length > 0 ? " (" + H(kind) + ")" : string.Empty).Append("</li>\n");
        }
        if (r.Rows.Count > 0)
        {
            sb.Append("<li>rows: ").Append(H(string.Join(", ", r.Rows.Select(kv => $"{kv.Key.Replace('_', '-')} {Num(kv.Value)}")))).Append("</li>\n");
        }
        if (r.Data.Length > 0)
        {
            sb.Append(ic, $"<li>seed {r.Seed}{(double.IsFinite(r.WallSeconds) ? string.Create(ic, $", run time {r.WallSeconds:F1} s") : string.Empty)}</li>\n");
        }
        string found = r.SymmetryFound switch { true => "<span class=\"ok\">yes</span>", false => "<span class=\"no\">no</span>", null => "not recorded" };
        sb.Append("<li>symmetry found: ").Append(found).Append("</li>\n");
        int accepted = r.Accepted.Count(a => a == true);
        sb.Append(ic, $"<li>generators: {r.Generators.Count}{(r.Accepted.Count > 0 ? string.Create(ic, $", accepted: {accepted}") : string.Empty)}");
        if (double.IsFinite(r.Alpha))
        {
            sb.Append(ic, $" (target test at alpha {Num(r.Alpha)}{(double.IsFinite(r.Tolerance) ? ", loss ratio tolerance " + Num(r.Tolerance) : string.Empty)})");
        }
        sb.Append("</li>\n");
        if (r.BracketClosure.Count > 0)
        {
            var finite = r.BracketClosure.Where(double.IsFinite).ToList();
            string values = r.BracketClosure.Count <= 12 ? " (" + string.Join(", ", r.BracketClosure.Select(Num)) + ")" : string.Empty;
            sb.Append("<li>bracket closure residual: ").Append(finite.Count > 0 ? "largest " + Num(finite.Max()) : "–").Append(H(values)).Append("</li>\n");
        }
        if (!double.IsNaN(r.BracketClosureAccepted) || !double.IsNaN(r.BracketClosureAll))
        {
            sb.Append("<li>bracket closure residual: accepted span ").Append(Closure(r.BracketClosureAccepted, accepted))
                .Append(", all candidates ").Append(Closure(r.BracketClosureAll, r.Generators.Count)).Append("</li>\n");
        }
        foreach (var (name, v) in r.SubspaceSimilarity.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append("<li>subspace similarity of the accepted span with the data's ").Append(H(name)).Append(": ").Append(Num(v)).Append("</li>\n");
        }
        if (r.SpectrumCount is int count)
        {
            sb.Append(ic, $"<li>symmetry spectrum of the reference model: {count} direction(s) below the gap");
            if (r.SpectrumValues.Count > 0)
            {
                sb.Append("; smallest values ").Append(H(string.Join(", ", r.SpectrumValues.Take(6).Select(Num))));
            }
            if (double.IsFinite(r.SpectrumAgreement))
            {
                sb.Append("; similarity with the accepted span ").Append(Num(r.SpectrumAgreement));
            }
            sb.Append("</li>\n");
        }
        sb.Append("</ul>\n");
        int k = Math.Max(r.Generators.Count, Math.Max(r.Accepted.Count, Math.Max(r.PValues.Count, r.Tests.Count)));
        if (k > 0)
        {
            // Columns a result does not record are left out.
            bool ratio = r.Tests.Any(t => double.IsFinite(t.LossRatio)), magnitude = r.Tests.Any(t => double.IsFinite(t.TestMagnitude));
            bool distribution = r.DistributionSymmetric.Count > 0 || r.Tests.Any(t => double.IsFinite(t.DistributionPValue));
            bool compact = r.Tests.Any(t => t.Compact is not null);
            sb.Append("<table>\n<caption>each candidate generator: the target test (p-value, verdict, loss ratio of the reference model on transformed over original held-out rows) and the distribution test</caption>\n<tr><th class=\"t\">generator</th><th>extent</th><th>p-value</th><th class=\"t\">verdict</th>");
            sb.Append(ratio ? "<th>loss ratio [95% CI]</th>" : string.Empty).Append(magnitude ? "<th>test magnitude</th>" : string.Empty);
            sb.Append(distribution ? "<th class=\"t\">distribution kept (classifier accuracy, p)</th>" : string.Empty).Append(compact ? "<th class=\"t\">compact</th>" : string.Empty).Append("</tr>\n");
            for (int i = 0; i < k; i++)
            {
                var t = i < r.Tests.Count ? r.Tests[i] : new DiscoverTest();
                double p = i < r.PValues.Count ? r.PValues[i] : t.PValue;
                string verdict = i >= r.Accepted.Count || r.Accepted[i] is null ? "–" : r.Accepted[i] == true ? "<span class=\"ok\">accepted</span>" : "<span class=\"no\">rejected</span>";
                sb.Append(ic, $"<tr><td class=\"t\">L{i + 1}</td><td>{(i < r.Extents.Count ? Num(r.Extents[i]) : "–")}</td><td>{Num(p)}</td><td class=\"t\">{verdict}</td>");
                if (ratio)
                {
                    sb.Append("<td>").Append(Num(t.LossRatio)).Append(double.IsFinite(t.LossRatioLow) ? " [" + Num(t.LossRatioLow) + ", " + Num(t.LossRatioHigh) + "]" : string.Empty).Append("</td>");
                }
                if (magnitude)
                {
                    sb.Append("<td>").Append(Num(t.TestMagnitude)).Append("</td>");
                }
                if (distribution)
                {
                    bool? kept = i < r.DistributionSymmetric.Count ? r.DistributionSymmetric[i] : null;
                    double dp = double.IsFinite(t.DistributionPValue) ? t.DistributionPValue : i < r.DistributionPValues.Count ? r.DistributionPValues[i] : double.NaN;
                    string details = string.Join(", ", new[] { double.IsFinite(t.DistributionAccuracy) ? "accuracy " + Num(t.DistributionAccuracy) : string.Empty, double.IsFinite(dp) ? "p " + Num(dp) : string.Empty }.Where(x => x.Length > 0));
                    sb.Append("<td class=\"t\">").Append(kept switch { true => "<span class=\"ok\">yes</span>", false => "<span class=\"no\">no</span>", null => "–" })
                        .Append(details.Length > 0 ? " (" + H(details) + ")" : string.Empty).Append("</td>");
                }
                if (compact)
                {
                    sb.Append("<td class=\"t\">").Append(t.Compact switch { true => double.IsFinite(t.HalfPeriod) ? "yes, half period " + Num(t.HalfPeriod) : "yes", false => "no", null => "–" }).Append("</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        if (r.BracketPairs.Count > 0)
        {
            sb.Append("<table>\n<caption>the bracket of each pair of candidates and the part of it outside their span</caption>\n<tr><th class=\"t\">pair</th><th>|[Li, Lj]|</th><th>residual outside the span (relative)</th></tr>\n");
            foreach (var (i, j, norm, relative) in r.BracketPairs)
            {
                sb.Append(ic, $"<tr><td class=\"t\">[L{i}, L{j}]</td><td>{Num(norm)}</td><td>{Num(relative)}</td></tr>\n");
            }
            sb.Append("</table>\n");
        }
        var models = new[] { ("reference model (no augmentation)", r.ReferenceModel), ("model trained with the learned symmetry", r.SemolaModel) }.Where(m => m.Item2.Count > 0).ToList();
        if (models.Count > 0)
        {
            var keys = models.SelectMany(m => m.Item2.Keys).Distinct().OrderBy(x => x, StringComparer.Ordinal).ToList();
            sb.Append("<table>\n<caption>held-out and validation metrics of the two models</caption>\n<tr><th class=\"t\">model</th>");
            foreach (var key in keys)
            {
                sb.Append("<th>").Append(H(key.Replace('_', ' '))).Append("</th>");
            }
            sb.Append("</tr>\n");
            foreach (var (name, values) in models)
            {
                sb.Append("<tr><td class=\"t\">").Append(H(name)).Append("</td>");
                foreach (var key in keys)
                {
                    sb.Append("<td>").Append(values.TryGetValue(key, out double v) ? Num(v) : "–").Append("</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        if (r.SimilarityToKnown.Count > 0)
        {
            sb.Append("<table>\n<caption>how close the accepted span is to known algebras (1: the same span)</caption>\n<tr><th class=\"t\">known algebra</th><th>subspace similarity with the accepted span</th></tr>\n");
            foreach (var (name, v) in r.SimilarityToKnown.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sb.Append("<tr><td class=\"t\">").Append(H(name)).Append("</td><td>").Append(Num(v)).Append("</td></tr>\n");
            }
            sb.Append("</table>\n");
        }
        if (r.Calibration.Count > 0)
        {
            sb.Append("<table>\n<caption>the target test on random directions with a known answer (--calibrate)</caption>\n<tr><th class=\"t\">calibration: random directions</th><th>tested</th><th>accepted</th><th>acceptance rate</th></tr>\n");
            foreach (var (kind, values) in r.Calibration.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                sb.Append("<tr><td class=\"t\">").Append(H(kind)).Append(" the true algebra</td>");
                foreach (var key in new[] { "directions", "accepted", "acceptance_rate" })
                {
                    sb.Append("<td>").Append(values.TryGetValue(key, out double v) ? Num(v) : "–").Append("</td>");
                }
                sb.Append("</tr>\n");
            }
            sb.Append("</table>\n");
        }
        if (r.Generators.Count > 0)
        {
            var panels = new List<(string, double[,])>();
            if (r.Truth is not null)
            {
                panels.Add(("reference", GeneratorFigure.UnitNorm(r.Truth)));
            }
            for (int i = 0; i < r.Generators.Count; i++)
            {
                string verdict = i >= r.Accepted.Count || r.Accepted[i] is null ? string.Empty : r.Accepted[i] == true ? " accepted" : " rejected";
                string p = i < r.PValues.Count && double.IsFinite(r.PValues[i]) ? " (p " + Num(r.PValues[i]) + ")" : string.Empty;
                panels.Add(($"L{i + 1}{verdict}{p}", r.Generators[i]));
            }
            sb.Append("<figure>\n").Append(GeneratorFigure.Svg(panels)).Append("<figcaption>").Append(H(label)).Append(": the candidate generators and their verdicts.</figcaption>\n</figure>\n");
        }
        string summary = Path.Combine(Path.GetDirectoryName(r.Path)!, "summary.md");
        if (File.Exists(summary))
        {
            sb.Append("<div class=\"md\">\n").Append(MarkdownHtml.Render(File.ReadAllText(summary), 4)).Append("</div>\n");
        }
    }

    private static void Curves(StringBuilder sb, RunResult r, string label)
    {
        var ic = CultureInfo.InvariantCulture;
        sb.Append("<details>\n<summary>").Append(H(RunName(r, label))).Append(ic, $" ({r.History.Count} epochs)</summary>\n");
        var losses = Series(r.History, e => e.Losses);
        if (losses.Count > 0)
        {
            var values = losses.SelectMany(s => s.Points).Select(p => p.Mean).ToList();
            bool log = values.All(v => v > 0) && values.Max() / values.Min() > 100;
            sb.Append("<figure>\n").Append(LinePlot.Svg("epoch", "training loss", losses, log)).Append("<figcaption>loss terms</figcaption>\n</figure>\n");
        }
        var validation = Series(r.History, e => e.Validation);
        if (validation.Count > 0)
        {
            sb.Append("<figure>\n").Append(LinePlot.Svg("epoch", "validation", validation)).Append("<figcaption>validation metrics</figcaption>\n</figure>\n");
        }
        var match = new List<(string, IReadOnlyList<(double, double, double)>)>();
        foreach (var (name, f) in new (string, Func<RunEpoch, double>)[] { ("generator_cosine", e => e.GeneratorCosine), ("subspace_similarity", e => e.SubspaceSimilarity) })
        {
            var pts = r.History.Where(e => double.IsFinite(f(e))).Select(e => ((double)e.Epoch, f(e), 0.0)).ToList();
            if (pts.Count > 0)
            {
                match.Add((name, pts));
            }
        }
        if (match.Count > 0)
        {
            sb.Append("<figure>\n").Append(LinePlot.Svg("epoch", "similarity to the reference", match)).Append("<figcaption>learned generators against the reference</figcaption>\n</figure>\n");
        }
        sb.Append("</details>\n");
    }

    private static List<(string Name, IReadOnlyList<(double X, double Mean, double Sd)> Points)> Series(IReadOnlyList<RunEpoch> history, Func<RunEpoch, IReadOnlyDictionary<string, double>> pick)
        => history.SelectMany(e => pick(e).Keys).Distinct().Select(k => (k, (IReadOnlyList<(double, double, double)>)history
            .Where(e => pick(e).ContainsKey(k)).Select(e => ((double)e.Epoch, pick(e)[k], 0.0)).ToList())).ToList();

    private static void CsvTable(StringBuilder sb, string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        sb.Append("<table>\n");
        for (int i = 0; i < lines.Count; i++)
        {
            string cell = i == 0 ? "th" : "td";
            sb.Append("<tr>");
            foreach (var c in CsvCells(lines[i]))
            {
                sb.Append('<').Append(cell).Append(" class=\"t\">").Append(H(c)).Append("</").Append(cell).Append('>');
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static List<string> CsvCells(string line)
    {
        var cells = new List<string>();
        var cur = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cur.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cur.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cur.ToString());
                cur.Clear();
            }
            else
            {
                cur.Append(c);
            }
        }
        cells.Add(cur.ToString());
        return cells;
    }

    private static int MetricRank(string k)
    {
        int i = Array.IndexOf(KeyMetrics, k);
        return i >= 0 ? i : k.Contains("invariance", StringComparison.Ordinal) || k.Contains("equivariance", StringComparison.Ordinal) ? KeyMetrics.Length : KeyMetrics.Length + 1;
    }

    private static string MeanSd(double[] v)
    {
        var (mean, sd) = ResultsReader.MeanSd(v);
        return v.Length == 0 ? "–" : v.Length == 1 ? Num(mean) : string.Create(CultureInfo.InvariantCulture, $"{mean:G4} ± {sd:G2}");
    }

    /// <summary>A bracket-closure residual; for fewer than two generators it is 0 by construction, and the text says so.</summary>
    private static string Closure(double v, int generators)
        => generators < 2 && (v == 0 || double.IsNaN(v)) ? string.Create(CultureInfo.InvariantCulture, $"– ({generators} generator(s): nothing to close)") : Num(v);

    private static string Names(IReadOnlyList<string> names) => names.Count <= 8 ? string.Join(", ", names) : string.Join(", ", names.Take(6)) + $", … ({names.Count} in all)";

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("G4", CultureInfo.InvariantCulture) : "–";

    private static string Label(string from, string dir)
    {
        string rel = Path.GetRelativePath(from, dir);
        return rel == "." ? Path.GetFileName(Path.GetFullPath(from).TrimEnd(Path.DirectorySeparatorChar)) : rel;
    }

    private static string RunName(RunResult r, string label)
        => string.Create(CultureInfo.InvariantCulture, $"{label}: {r.Experiment} {r.Variant} {r.Method}, seed {r.Seed}{(r.Fraction < 1 ? string.Create(CultureInfo.InvariantCulture, $", fraction {r.Fraction:G4}") : string.Empty)}").Replace("  ", " ", StringComparison.Ordinal);

    private static double Cosine(double[,] g, double[,]? truth)
        => truth is null || truth.GetLength(0) != g.GetLength(0) || truth.GetLength(1) != g.GetLength(1) ? double.NaN : LieAlgebraMetrics.GeneratorCosine(g, truth);

    private static string H(string s) => WebUtility.HtmlEncode(s);
}

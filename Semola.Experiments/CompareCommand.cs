using System.Globalization;
using System.Text;
using Semola.Core.Lie;

namespace Semola.Experiments;

/// <summary>
/// The <c>compare</c> verb: runs methods x seeds of one experiment (each an ordinary run in OUT/METHOD-sSEED, resumed if
/// finished), then reads every results.json (and those of --from) and writes OUT/table.md and OUT/table.csv (mean and
/// sample standard deviation over seeds per experiment, variant and method) and OUT/generators.svg.
/// </summary>
public static class CompareCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(CompareOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        var methods = o.Methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var seeds = o.Seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new ExperimentRunner.OptionException($"--seeds: '{s}' is not an integer.")).ToArray();
        if (o.Experiment is not (null or "rotmnist" or "nbody" or "crc" or "qm9"))
        {
            throw new ExperimentRunner.OptionException($"--experiment '{o.Experiment}' is unknown; expected rotmnist, nbody, crc or qm9.");
        }
        var fractions = o.Fractions is null ? [1.0] : o.Fractions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v > 0 && v <= 1 ? v : throw new ExperimentRunner.OptionException($"--fractions: '{s}' is not a number in (0, 1].")).ToArray();
        if (o.Experiment is null && !o.From.Any())
        {
            throw new ExperimentRunner.OptionException("compare needs --experiment (to run) or --from (to read finished runs).");
        }
        string outDir = OutputFiles.PrepareDirectory(o.Out);
        var dirs = new List<string>();
        if (o.Experiment is not null)
        {
            string[] extra = o.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var (method, fraction, seed) in methods.SelectMany(m => fractions.SelectMany(f => seeds.Select(s => (m, f, s)))))
            {
                {
                    string tag = o.Fractions is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"-f{fraction}");
                    string dir = Path.Combine(outDir, string.Create(CultureInfo.InvariantCulture, $"{method}{tag}-s{seed}"));
                    output.WriteLine($"compare: {o.Experiment} --method {method} --seed {seed}{(tag.Length > 0 ? " --fraction " + fraction.ToString(CultureInfo.InvariantCulture) : string.Empty)} -> {dir}");
                    string[] args = [o.Experiment, "--method", method, "--seed", seed.ToString(CultureInfo.InvariantCulture), "--fraction", fraction.ToString("R", CultureInfo.InvariantCulture), "--out", dir, .. extra];
                    if (File.Exists(Path.Combine(dir, "results.json")))
                    {
                        args = [.. args, "--resume"];
                    }
                    int code = ExperimentsApp.Run(args, output, error);
                    if (code != 0)
                    {
                        error.WriteLine($"error: the run {string.Join(' ', args)} failed (exit {code}); the table leaves it out.");
                    }
                    dirs.Add(dir);
                }
            }
        }
        foreach (var d in o.From)
        {
            if (!Directory.Exists(d))
            {
                throw new IOException($"--from '{d}' is not a directory.");
            }
            dirs.Add(d);
            dirs.AddRange(Directory.GetDirectories(d).Where(s => File.Exists(Path.Combine(s, "results.json"))));
        }
        var results = dirs.Distinct().Select(d => Path.Combine(d, "results.json")).Where(File.Exists).Select(ResultsReader.Read).Where(r => r.Finished).ToList();
        if (results.Count == 0)
        {
            throw new IOException("compare: no finished results.json was found.");
        }
        var (md, csv) = Tables(results);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.md"), md);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.csv"), csv);
        var panels = new List<(string, double[,])>();
        foreach (var g in results.Where(r => r.Generators.Count > 0).GroupBy(r => (r.Experiment, r.Variant, r.Space, r.Method)))
        {
            var first = g.OrderBy(r => r.Seed).First();
            if (panels.Count == 0 && first.Truth is not null)
            {
                panels.Add(("ground truth", Unit(first.Truth)));
            }
            double cos = first.Truth is null ? double.NaN : LieAlgebraMetrics.GeneratorCosine(first.Generators[0], first.Truth);
            panels.Add((string.Create(CultureInfo.InvariantCulture, $"{g.Key.Method} {g.Key.Variant} s{first.Seed} (cos {cos:F3})"), first.Generators[0]));
        }
        if (panels.Count > 0)
        {
            OutputFiles.WriteAtomic(Path.Combine(outDir, "generators.svg"), GeneratorFigure.Svg(panels));
        }
        if (results.Select(r => r.Fraction).Distinct().Count() > 1)
        {
            string metric = results.Any(r => r.Metrics.ContainsKey("test_accuracy")) ? "test_accuracy" : "test_mse";
            var series = ResultsReader.SampleEfficiency(results, metric);
            OutputFiles.WriteAtomic(Path.Combine(outDir, "sample-efficiency.svg"), LinePlot.Svg("training fraction", metric, series));
        }
        output.Write(md);
        output.WriteLine($"table: {Path.Combine(outDir, "table.md")}");
        return 0;
    }

    private static double[,] Unit(double[,] m)
    {
        double norm = LieAlgebraMetrics.FrobeniusNorm(m);
        var u = (double[,])m.Clone();
        for (int i = 0; i < u.GetLength(0); i++)
        {
            for (int j = 0; j < u.GetLength(1); j++)
            {
                u[i, j] /= norm;
            }
        }
        return u;
    }

    private static (string Markdown, string Csv) Tables(List<RunResult> results)
    {
        var ic = CultureInfo.InvariantCulture;
        var keys = results.SelectMany(r => r.Metrics.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var md = new StringBuilder();
        var csv = new StringBuilder();
        md.Append("| experiment | variant | space | method | fraction | seeds | ").Append(string.Join(" | ", keys)).Append(" |\n");
        md.Append("|---|---|---|---|---|---|").Append(string.Concat(keys.Select(_ => "---|"))).Append('\n');
        csv.Append("experiment,variant,space,method,fraction,seeds,").Append(string.Join(",", keys.SelectMany(k => new[] { k + "_mean", k + "_std" }))).Append('\n');
        foreach (var g in ResultsReader.Groups(results))
        {
            var seeds = string.Join(" ", g.Select(r => r.Seed).Order());
            md.Append(ic, $"| {g.Key.Experiment} | {g.Key.Variant} | {g.Key.Space} | {g.Key.Method} | {g.Key.Fraction:G4} | {seeds} |");
            csv.Append(ic, $"{g.Key.Experiment},{g.Key.Variant},{g.Key.Space},{g.Key.Method},{g.Key.Fraction:G4},{seeds}");
            foreach (var k in keys)
            {
                var v = g.Where(r => r.Metrics.ContainsKey(k)).Select(r => r.Metrics[k]).ToArray();
                var (mean, std) = ResultsReader.MeanSd(v);
                md.Append(v.Length == 0 ? " |" : v.Length == 1 ? string.Create(ic, $" {mean:G4} |") : string.Create(ic, $" {mean:G4} ± {std:G2} |"));
                csv.Append(ic, $",{(v.Length > 0 ? mean.ToString("G6", ic) : "")},{(v.Length > 1 ? std.ToString("G6", ic) : "")}");
            }
            md.Append('\n');
            csv.Append('\n');
        }
        return (md.ToString(), csv.ToString());
    }
}

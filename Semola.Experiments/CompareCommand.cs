using System.Globalization;
using System.Text;
using System.Text.Json;
using Semola.Core.Lie;

namespace Semola.Experiments;

/// <summary>
/// The <c>compare</c> verb: runs methods x seeds of one experiment (each an ordinary run in OUT/METHOD-sSEED, resumed if
/// finished), then reads every results.json (and those of --from) and writes OUT/table.md and OUT/table.csv (mean and
/// sample standard deviation over seeds per experiment, variant and method) and OUT/generators.svg.
/// </summary>
public static class CompareCommand
{
    private sealed record Result(string Experiment, string Variant, string Space, string Method, double Fraction, int Seed, bool Finished, Dictionary<string, double> Metrics, double[,]? Generator, double[,]? Truth);

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
        var results = dirs.Distinct().Select(d => Path.Combine(d, "results.json")).Where(File.Exists).Select(Read).Where(r => r.Finished).ToList();
        if (results.Count == 0)
        {
            throw new IOException("compare: no finished results.json was found.");
        }
        var (md, csv) = Tables(results);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.md"), md);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.csv"), csv);
        var panels = new List<(string, double[,])>();
        foreach (var g in results.Where(r => r.Generator is not null).GroupBy(r => (r.Experiment, r.Variant, r.Space, r.Method)))
        {
            var first = g.OrderBy(r => r.Seed).First();
            if (panels.Count == 0 && first.Truth is not null)
            {
                panels.Add(("ground truth", Unit(first.Truth)));
            }
            double cos = first.Truth is null ? double.NaN : LieAlgebraMetrics.GeneratorCosine(first.Generator!, first.Truth);
            panels.Add((string.Create(CultureInfo.InvariantCulture, $"{g.Key.Method} {g.Key.Variant} s{first.Seed} (cos {cos:F3})"), first.Generator!));
        }
        if (panels.Count > 0)
        {
            OutputFiles.WriteAtomic(Path.Combine(outDir, "generators.svg"), GeneratorFigure.Svg(panels));
        }
        if (results.Select(r => r.Fraction).Distinct().Count() > 1)
        {
            string metric = results.Any(r => r.Metrics.ContainsKey("test_accuracy")) ? "test_accuracy" : "test_mse";
            var series = results.Where(r => r.Metrics.ContainsKey(metric)).GroupBy(r => r.Method).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<(double, double, double)>)g.GroupBy(r => r.Fraction).OrderBy(f => f.Key).Select(f =>
                {
                    var v = f.Select(r => r.Metrics[metric]).ToArray();
                    double mean = v.Average();
                    double sd = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : 0;
                    return (f.Key, mean, sd);
                }).ToList())).ToList();
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

    private static double[,]? Matrix(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
        {
            return null;
        }
        int n = e.GetArrayLength(), m = e[0].GetArrayLength();
        var a = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                a[i, j] = e[i][j].GetDouble();
            }
        }
        return a;
    }

    private static Result Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var r = doc.RootElement;
            var metrics = new Dictionary<string, double>();
            foreach (var p in r.GetProperty("metrics").EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && !p.Name.StartsWith("validation_", StringComparison.Ordinal)))
            {
                metrics[p.Name] = p.Value.GetDouble();
            }
            var gens = r.GetProperty("generators");
            return new Result(
                r.GetProperty("experiment").GetString() ?? "?",
                r.TryGetProperty("variant", out var v) ? v.GetString() ?? "" : "",
                r.TryGetProperty("space", out var sp) ? sp.GetString() ?? "" : "",
                r.GetProperty("method").GetString() ?? "?",
                r.TryGetProperty("fraction", out var fr) ? fr.GetDouble() : 1.0,
                r.GetProperty("seed").GetInt32(),
                r.TryGetProperty("finished", out var f) && f.GetBoolean(),
                metrics,
                gens.GetArrayLength() > 0 ? Matrix(gens[0]) : null,
                r.TryGetProperty("ground_truth", out var gt) ? Matrix(gt) : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a results file of this program ({ex.Message}).", ex);
        }
    }

    private static (string Markdown, string Csv) Tables(List<Result> results)
    {
        var ic = CultureInfo.InvariantCulture;
        var keys = results.SelectMany(r => r.Metrics.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var md = new StringBuilder();
        var csv = new StringBuilder();
        md.Append("| experiment | variant | space | method | fraction | seeds | ").Append(string.Join(" | ", keys)).Append(" |\n");
        md.Append("|---|---|---|---|---|---|").Append(string.Concat(keys.Select(_ => "---|"))).Append('\n');
        csv.Append("experiment,variant,space,method,fraction,seeds,").Append(string.Join(",", keys.SelectMany(k => new[] { k + "_mean", k + "_std" }))).Append('\n');
        foreach (var g in results.GroupBy(r => (r.Experiment, r.Variant, r.Space, r.Method, r.Fraction)).OrderBy(g => g.Key))
        {
            var seeds = string.Join(" ", g.Select(r => r.Seed).Order());
            md.Append(ic, $"| {g.Key.Experiment} | {g.Key.Variant} | {g.Key.Space} | {g.Key.Method} | {g.Key.Fraction:G4} | {seeds} |");
            csv.Append(ic, $"{g.Key.Experiment},{g.Key.Variant},{g.Key.Space},{g.Key.Method},{g.Key.Fraction:G4},{seeds}");
            foreach (var k in keys)
            {
                var v = g.Where(r => r.Metrics.ContainsKey(k)).Select(r => r.Metrics[k]).ToArray();
                double mean = v.Length > 0 ? v.Average() : double.NaN;
                double std = v.Length > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)) : double.NaN;
                md.Append(v.Length == 0 ? " |" : v.Length == 1 ? string.Create(ic, $" {mean:G4} |") : string.Create(ic, $" {mean:G4} ± {std:G2} |"));
                csv.Append(ic, $",{(v.Length > 0 ? mean.ToString("G6", ic) : "")},{(v.Length > 1 ? std.ToString("G6", ic) : "")}");
            }
            md.Append('\n');
            csv.Append('\n');
        }
        return (md.ToString(), csv.ToString());
    }
}

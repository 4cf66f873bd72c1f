using System.Globalization;
using System.Text;
using System.Text.Json;
using Semola.Core.Lie;

namespace Semola.Experiments;

/// <summary>
/// The <c>compare</c> verb: runs methods x fractions x sweep values x seeds of one experiment (each an ordinary run in
/// OUT/METHOD[-fFRACTION][-NAMEVALUE...]-sSEED, resumed if it exists; with --shard i/n only part i of n of them, and no
/// table), then reads every results.json (and those of --from) and writes OUT/table.md and OUT/table.csv (mean and
/// sample standard deviation over seeds per experiment, variant, method, fraction and the value of every swept or
/// otherwise differing option) and OUT/generators.svg. OUT/config.json records the comparison for --config.
/// </summary>
public static class CompareCommand
{
    /// <summary>Options of an experiment that compare itself sets for each run (so neither --sweep nor --args may).</summary>
    private static readonly HashSet<string> Controlled = new(StringComparer.Ordinal) { "method", "seed", "seeds", "fraction", "out", "resume", "overwrite", "shard", "verbose" };

    private static string[] List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The runs of a comparison in their fixed order: methods, then fractions, then the sweep's values (a grid, the
    /// first --sweep outermost), then seeds. Every problem with the options is an <see cref="ExperimentRunner.OptionException"/>.
    /// </summary>
    /// <param name="o">The options (with --experiment).</param>
    /// <param name="outDir">The comparison's output directory (runs go below it).</param>
    public static IReadOnlyList<CompareRun> PlanRuns(CompareOptions o, string outDir)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(outDir);
        var ic = CultureInfo.InvariantCulture;
        if (o.Experiment is not ("rotmnist" or "nbody" or "crc" or "qm9"))
        {
            throw new ExperimentRunner.OptionException($"--experiment '{o.Experiment}' is unknown; expected rotmnist, nbody, crc or qm9.");
        }
        var methods = List(o.Methods);
        if (methods.Length == 0 || methods.Distinct().Count() != methods.Length)
        {
            throw new ExperimentRunner.OptionException($"--methods '{o.Methods}' must list at least one method, each once.");
        }
        var seeds = List(o.Seeds).Select(s => int.TryParse(s, NumberStyles.Integer, ic, out int v) ? v : throw new ExperimentRunner.OptionException($"--seeds: '{s}' is not an integer.")).ToArray();
        if (seeds.Length == 0 || seeds.Distinct().Count() != seeds.Length)
        {
            throw new ExperimentRunner.OptionException($"--seeds '{o.Seeds}' must list at least one seed, each once.");
        }
        var fractions = o.Fractions is null ? [1.0] : List(o.Fractions)
            .Select(s => double.TryParse(s, NumberStyles.Float, ic, out double v) && v > 0 && v <= 1 ? v : throw new ExperimentRunner.OptionException($"--fractions: '{s}' is not a number in (0, 1].")).ToArray();
        string[] extra = o.Args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var extraNames = extra.Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..].Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var name in extraNames.Where(n => n is "seeds" or "shard"))
        {
            throw new ExperimentRunner.OptionException($"--args may not hold --{name}: give compare's own --seeds and --shard.");
        }
        var axes = Axes(o.Experiment, o.Sweep, extraNames);
        var points = new List<KeyValuePair<string, string>[]> { Array.Empty<KeyValuePair<string, string>>() };
        foreach (var (name, values, _) in axes)
        {
            points = points.SelectMany(p => values.Select(v => (KeyValuePair<string, string>[])[.. p, KeyValuePair.Create(name, v)])).ToList();
        }
        var runs = new List<CompareRun>();
        foreach (var method in methods)
        {
            foreach (var fraction in fractions)
            {
                foreach (var point in points)
                {
                    foreach (var seed in seeds)
                    {
                        string tag = (o.Fractions is null ? string.Empty : string.Create(ic, $"-f{fraction}"))
                            + string.Concat(point.Select(kv => "-" + kv.Key + Safe(kv.Value)));
                        string dir = Path.Combine(outDir, string.Create(ic, $"{method}{tag}-s{seed}"));
                        var args = new List<string> { o.Experiment, "--method", method, "--seed", seed.ToString(ic), "--fraction", fraction.ToString("R", ic), "--out", dir };
                        foreach (var kv in point)
                        {
                            bool isSwitch = axes.First(a => a.Name == kv.Key).Switch;
                            if (!isSwitch)
                            {
                                args.Add($"--{kv.Key}={kv.Value}");
                            }
                            else if (kv.Value == "true")
                            {
                                args.Add($"--{kv.Key}");
                            }
                        }
                        args.AddRange(extra);
                        runs.Add(new CompareRun(runs.Count, method, fraction, point, seed, dir, args));
                    }
                }
            }
        }
        return runs;
    }

    /// <summary>A value as part of a directory name: letters, digits, '.', '_' and '-' kept, anything else '_'.</summary>
    private static string Safe(string value) => string.Concat(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));

    /// <summary>Parses the --sweep axes NAME=v1,v2,... against the experiment's options.</summary>
    private static List<(string Name, string[] Values, bool Switch)> Axes(string experiment, IEnumerable<string> specs, HashSet<string> extraNames)
    {
        var ic = CultureInfo.InvariantCulture;
        var options = OptionCatalog.Options(OptionCatalog.OptionsType(experiment)!);
        var axes = new List<(string, string[], bool)>();
        foreach (var spec in specs.Select(s => s.Trim()).Where(s => s.Length > 0))
        {
            int eq = spec.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? spec : spec[..eq].Trim();
            name = name.StartsWith("--", StringComparison.Ordinal) ? name[2..] : name;
            if (eq < 0 || name.Length == 0)
            {
                throw new ExperimentRunner.OptionException($"--sweep '{spec}' is not of the form NAME=v1,v2,... (such as lambda-dist=0.3,1,3).");
            }
            if (!options.TryGetValue(name, out var option))
            {
                throw new ExperimentRunner.OptionException($"--sweep '{spec}': {experiment} has no option --{name} (see {experiment} --help).");
            }
            if (Controlled.Contains(name))
            {
                throw new ExperimentRunner.OptionException(name switch
                {
                    "method" => "--sweep: give the methods with --methods.",
                    "seed" or "seeds" => "--sweep: give the seeds with --seeds.",
                    "fraction" => "--sweep: give the training fractions with --fractions.",
                    _ => $"--sweep: compare sets --{name} of every run itself.",
                });
            }
            if (axes.Any(a => a.Item1 == name) || extraNames.Contains(name))
            {
                throw new ExperimentRunner.OptionException($"--sweep: --{name} is given twice (in two --sweep axes, or in --sweep and --args).");
            }
            var values = List(spec[(eq + 1)..]);
            if (values.Length == 0 || values.Distinct().Count() != values.Length)
            {
                throw new ExperimentRunner.OptionException($"--sweep '{spec}' must list at least one value, each once.");
            }
            bool isSwitch = OptionCatalog.IsSwitch(option);
            foreach (var v in values)
            {
                bool ok = isSwitch ? v is "true" or "false"
                    : OptionCatalog.IsInteger(option) ? long.TryParse(v, NumberStyles.Integer, ic, out _)
                    : !OptionCatalog.IsReal(option) || double.TryParse(v, NumberStyles.Float, ic, out _);
                if (!ok)
                {
                    throw new ExperimentRunner.OptionException($"--sweep '{spec}': '{v}' is not {(isSwitch ? "true or false" : OptionCatalog.IsInteger(option) ? "a whole number" : "a number")}, as --{name} needs.");
                }
            }
            axes.Add((name, values, isSwitch));
        }
        return axes;
    }

    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(CompareOptions o, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var shard = o.Shard is null ? Shard.All : Shard.Parse(o.Shard);
        if (o.Experiment is null && !o.From.Any())
        {
            throw new ExperimentRunner.OptionException("compare needs --experiment (to run) or --from (to read finished runs).");
        }
        if (o.Experiment is null && (o.Shard is not null || o.Sweep.Any()))
        {
            throw new ExperimentRunner.OptionException($"--{(o.Shard is not null ? "shard" : "sweep")} needs --experiment (the runs to make); --from only reads finished runs.");
        }
        if (!shard.IsAll && o.From.Any())
        {
            throw new ExperimentRunner.OptionException("--shard runs part of a sweep and writes no table; give --from to the merge step (compare --from OUT), not to a shard.");
        }
        var planned = o.Experiment is null ? [] : PlanRuns(o, Path.GetFullPath(o.Out));
        string outDir = OutputFiles.PrepareDirectory(o.Out);
        var dirs = new List<string>();
        if (o.Experiment is not null)
        {
            ConfigFile.WriteEffectiveConfig(outDir, "compare", o);
            int failed = 0;
            var mine = shard.Select(planned);
            foreach (var run in mine)
            {
                string settings = string.Concat(run.Settings.Select(kv => $" --{kv.Key} {kv.Value}"));
                string fraction = o.Fractions is null ? string.Empty : " --fraction " + run.Fraction.ToString(CultureInfo.InvariantCulture);
                string where = shard.IsAll ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" [run {run.Index + 1} of {planned.Count}, shard {shard}]");
                output.WriteLine($"compare: {o.Experiment} --method {run.Method} --seed {run.Seed}{fraction}{settings} -> {run.Directory}{where}");
                string[] args = [.. run.Arguments];
                if (File.Exists(Path.Combine(run.Directory, "results.json")) || Directory.Exists(Path.Combine(run.Directory, "checkpoints")))
                {
                    args = [.. args, "--resume"];
                }
                int code = ExperimentsApp.Run(args, output, error);
                if (code != 0)
                {
                    failed++;
                    error.WriteLine($"error: the run {string.Join(' ', args)} failed (exit {code}); {(shard.IsAll ? "the table leaves it out" : "run this shard again to retry it")}.");
                }
                dirs.Add(run.Directory);
            }
            if (!shard.IsAll)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"compare: shard {shard} ran {mine.Count - failed} of its {mine.Count} runs ({planned.Count} in the whole sweep); a shard writes no table: when every shard has finished, merge them with compare --from {outDir} --out {outDir}"));
                return failed == 0 ? 0 : 1;
            }
        }
        foreach (var d in o.From.Where(d => !Directory.Exists(d)))
        {
            throw new IOException($"--from '{d}' is not a directory.");
        }
        var results = ResultsReader.ReadAll(dirs, o.From).Where(r => r.Finished && !r.IsDiscover).ToList();
        if (results.Count == 0)
        {
            throw new IOException("compare: no finished results.json was found.");
        }
        var swept = (o.Experiment is null ? [] : Axes(o.Experiment, o.Sweep, []).Select(a => a.Name)).Concat(o.From.SelectMany(SweptIn)).Distinct().ToList();
        var columns = ResultsReader.SettingColumns(results, swept);
        var (md, csv) = Tables(results, columns);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.md"), md);
        OutputFiles.WriteAtomic(Path.Combine(outDir, "table.csv"), csv);
        var panels = new List<(string, double[,])>();
        foreach (var g in results.Where(r => r.Generators.Count > 0).GroupBy(r => (r.Experiment, r.Variant, r.Space, r.Method, Settings: ResultsReader.SettingsLabel(r, columns))))
        {
            var first = g.OrderBy(r => r.Seed).First();
            if (panels.Count == 0 && first.Truth is not null)
            {
                panels.Add(("ground truth", GeneratorFigure.UnitNorm(first.Truth)));
            }
            double cos = first.Truth is null ? double.NaN : LieAlgebraMetrics.GeneratorCosine(first.Generators[0], first.Truth);
            panels.Add((string.Create(CultureInfo.InvariantCulture, $"{g.Key.Method}{g.Key.Settings} {g.Key.Variant} s{first.Seed} (cos {cos:F3})"), first.Generators[0]));
        }
        if (panels.Count > 0)
        {
            OutputFiles.WriteAtomic(Path.Combine(outDir, "generators.svg"), GeneratorFigure.Svg(panels));
        }
        if (results.Select(r => r.Fraction).Distinct().Count() > 1)
        {
            string metric = results.Any(r => r.Metrics.ContainsKey("test_accuracy")) ? "test_accuracy" : "test_mse";
            OutputFiles.WriteAtomic(Path.Combine(outDir, "sample-efficiency.svg"), LinePlot.Svg("training fraction", metric, ResultsReader.SampleEfficiency(results, metric, columns)));
        }
        output.Write(md);
        output.WriteLine($"table: {Path.Combine(outDir, "table.md")}");
        return 0;
    }

    /// <summary>The options a comparison in <paramref name="dir"/> swept, in its order (from its config.json; none if it has none).</summary>
    private static IEnumerable<string> SweptIn(string dir)
    {
        string path = Path.Combine(dir, ConfigFile.FileName);
        if (!File.Exists(path))
        {
            return [];
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("verb", out var verb) || verb.ValueKind != JsonValueKind.String || verb.GetString() != "compare"
                || !root.TryGetProperty("options", out var options) || options.ValueKind != JsonValueKind.Object || !options.TryGetProperty("sweep", out var sweep))
            {
                return [];
            }
            var specs = sweep.ValueKind == JsonValueKind.Array ? sweep.EnumerateArray().Select(e => e.ToString()) : sweep.ToString().Split(';');
            return specs.Select(spec => spec.Split('=', 2)[0].Trim().TrimStart('-')).Where(n => n.Length > 0).ToList();
        }
        catch (JsonException)
        {
            return []; // only the order of the table's columns comes from it
        }
    }

    private static (string Markdown, string Csv) Tables(List<RunResult> results, IReadOnlyList<string> columns)
    {
        var ic = CultureInfo.InvariantCulture;
        var keys = results.SelectMany(r => r.Metrics.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var md = new StringBuilder();
        var csv = new StringBuilder();
        string settingsHeader = string.Concat(columns.Select(c => c + " | "));
        md.Append("| experiment | variant | space | method | fraction | ").Append(settingsHeader).Append("seeds | ").Append(string.Join(" | ", keys)).Append(" |\n");
        md.Append("|---|---|---|---|---|").Append(string.Concat(columns.Select(_ => "---|"))).Append("---|").Append(string.Concat(keys.Select(_ => "---|"))).Append('\n');
        csv.Append("experiment,variant,space,method,fraction,").Append(string.Concat(columns.Select(c => c + ","))).Append("seeds,").Append(string.Join(",", keys.SelectMany(k => new[] { k + "_mean", k + "_std" }))).Append('\n');
        foreach (var g in ResultsReader.Groups(results, columns))
        {
            md.Append(ic, $"| {g.Experiment} | {g.Variant} | {g.Space} | {g.Method} | {g.Fraction:G4} | ").Append(string.Concat(g.Settings.Select(v => v + " | "))).Append(g.Seeds).Append(" |");
            csv.Append(ic, $"{g.Experiment},{g.Variant},{g.Space},{g.Method},{g.Fraction:G4},").Append(string.Concat(g.Settings.Select(v => Csv(v) + ","))).Append(g.Seeds);
            foreach (var k in keys)
            {
                var v = g.Values(k);
                var (mean, std) = ResultsReader.MeanSd(v);
                md.Append(v.Length == 0 ? " |" : v.Length == 1 ? string.Create(ic, $" {mean:G4} |") : string.Create(ic, $" {mean:G4} ± {std:G2} |"));
                csv.Append(ic, $",{(v.Length > 0 ? mean.ToString("G6", ic) : "")},{(v.Length > 1 ? std.ToString("G6", ic) : "")}");
            }
            md.Append('\n');
            csv.Append('\n');
        }
        return (md.ToString(), csv.ToString());
    }

    /// <summary>A CSV cell: quoted when it holds a comma, quote or line break.</summary>
    private static string Csv(string value) => value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

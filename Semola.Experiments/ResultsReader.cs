using System.Globalization;
using System.Text.Json;

namespace Semola.Experiments;

/// <summary>
/// Reads results.json files into <see cref="RunResult"/>s and groups them over seeds; shared by <c>compare</c> and
/// <c>report</c>. A file that is not valid JSON or whose fields have the wrong types is an <see cref="InvalidDataException"/>
/// naming the file.
/// </summary>
public static class ResultsReader
{
    /// <summary>The file name of a run's results.</summary>
    public const string FileName = "results.json";

    /// <summary>
    /// The results.json files of <paramref name="directory"/>: its own, then those of its subdirectories at any depth in
    /// ordinal path order (hidden directories and symbolic links are skipped).
    /// </summary>
    public static IReadOnlyList<string> Find(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var files = new List<string>();
        string own = System.IO.Path.Combine(directory, FileName);
        if (File.Exists(own))
        {
            files.Add(own);
        }
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.Hidden | FileAttributes.System | FileAttributes.ReparsePoint,
            MatchCasing = MatchCasing.CaseSensitive,
        };
        files.AddRange(Directory.EnumerateFiles(directory, FileName, options).Where(f => !f.Equals(own, StringComparison.Ordinal)
            && !System.IO.Path.GetRelativePath(directory, f).Split(System.IO.Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))).Order(StringComparer.Ordinal));
        return files;
    }

    /// <summary>Reads one results.json (of an experiment verb or of <c>discover</c>).</summary>
    public static RunResult Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IOException($"{path}: cannot be read ({ex.Message}).", ex);
        }
        try
        {
            using var doc = JsonDocument.Parse(text);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the top level is a JSON {r.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }
            bool discover = String(r, "verb") == "discover" || String(r, "experiment") == "discover"
                || r.TryGetProperty("accepted", out _) || r.TryGetProperty("p_values", out _) || r.TryGetProperty("symmetry_found", out _);
            var metrics = new Dictionary<string, double>();
            if (r.TryGetProperty("metrics", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in m.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number && !p.Name.StartsWith("validation_", StringComparison.Ordinal)))
                {
                    metrics[p.Name] = p.Value.GetDouble();
                }
            }
            else if (!discover)
            {
                throw new KeyNotFoundException("no 'metrics' object");
            }
            return new RunResult
            {
                Path = path,
                Experiment = String(r, "experiment") ?? (discover ? "discover" : throw new KeyNotFoundException("no 'experiment'")),
                Variant = String(r, "variant") ?? string.Empty,
                Space = String(r, "space") ?? string.Empty,
                Method = String(r, "method") ?? (discover ? "semola" : throw new KeyNotFoundException("no 'method'")),
                Fraction = r.TryGetProperty("fraction", out var fr) && fr.ValueKind != JsonValueKind.Null ? fr.GetDouble() : 1.0,
                Seed = r.TryGetProperty("seed", out var seed) && seed.ValueKind != JsonValueKind.Null ? seed.GetInt32() : discover ? 0 : throw new KeyNotFoundException("no 'seed'"),
                Finished = r.TryGetProperty("finished", out var f) && f.ValueKind != JsonValueKind.Null && f.GetBoolean(),
                Diverged = r.TryGetProperty("diverged", out var dv) && dv.ValueKind != JsonValueKind.Null && dv.GetBoolean(),
                Epochs = (Int(r, "epochs"), Int(r, "total_epochs")),
                WallSeconds = Number(r, "wall_seconds"),
                Metrics = metrics,
                Generators = r.TryGetProperty("generators", out var gens) && gens.ValueKind == JsonValueKind.Array
                    ? gens.EnumerateArray().Select((g, i) => Matrix(g, $"generators[{i}]") ?? throw new FormatException($"generators[{i}] is empty")).ToList()
                    : [],
                Truth = r.TryGetProperty("ground_truth", out var gt) ? Matrix(gt, "ground_truth") : null,
                Extents = Numbers(r, "extents"),
                History = r.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array ? h.EnumerateArray().Select(Epoch).ToList() : [],
                IsDiscover = discover,
                Accepted = r.TryGetProperty("accepted", out var a) && a.ValueKind == JsonValueKind.Array
                    ? a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (bool?)null : e.GetBoolean()).ToList()
                    : [],
                PValues = Numbers(r, "p_values"),
                SymmetryFound = r.TryGetProperty("symmetry_found", out var sf) && sf.ValueKind != JsonValueKind.Null ? sf.GetBoolean() : null,
                BracketClosure = r.TryGetProperty("bracket_closure", out var bc) && bc.ValueKind != JsonValueKind.Object ? Flatten(bc).ToList() : [],
                BracketClosureAccepted = bc.ValueKind == JsonValueKind.Object ? Number(bc, "accepted") : double.NaN,
                BracketClosureAll = bc.ValueKind == JsonValueKind.Object ? Number(bc, "all") : double.NaN,
                BracketPairs = bc.ValueKind == JsonValueKind.Object && bc.TryGetProperty("pairs", out var pairs) && pairs.ValueKind == JsonValueKind.Array
                    ? pairs.EnumerateArray().Where(p => p.ValueKind == JsonValueKind.Object).Select(p => (Int(p, "i"), Int(p, "j"), Number(p, "bracket_norm"), Number(p, "relative_residual"))).ToList()
                    : [],
                Data = String(r, "data") ?? string.Empty,
                Inputs = Strings(r, "inputs"),
                Targets = Strings(r, "targets"),
                TargetKind = String(r, "target_kind") ?? string.Empty,
                Task = String(r, "task") ?? string.Empty,
                Rows = Finite(r, "rows"),
                Alpha = Number(r, "alpha"),
                Tolerance = Number(r, "tolerance"),
                DistributionSymmetric = r.TryGetProperty("distribution_symmetric", out var ds) && ds.ValueKind == JsonValueKind.Array
                    ? ds.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? (bool?)null : e.GetBoolean()).ToList()
                    : [],
                DistributionPValues = Numbers(r, "distribution_p_values"),
                Tests = r.TryGetProperty("tests", out var tests) && tests.ValueKind == JsonValueKind.Array ? tests.EnumerateArray().Select(Test).ToList() : [],
                SubspaceSimilarity = Finite(r, "subspace_similarity"),
                SimilarityToKnown = Finite(r, "similarity_to_known"),
                SpectrumValues = r.TryGetProperty("spectrum", out var sp) && sp.ValueKind == JsonValueKind.Object ? Numbers(sp, "values") : [],
                SpectrumCount = sp.ValueKind == JsonValueKind.Object && sp.TryGetProperty("count", out var sc) && sc.ValueKind == JsonValueKind.Number ? sc.GetInt32() : null,
                SpectrumAgreement = sp.ValueKind == JsonValueKind.Object ? Number(sp, "similarity_to_accepted") : double.NaN,
                ReferenceModel = Finite(r, "reference_model"),
                SemolaModel = Finite(r, "semola_model"),
                Calibration = r.TryGetProperty("calibration", out var cal) && cal.ValueKind == JsonValueKind.Object
                    ? cal.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).ToDictionary(p => p.Name, p => (IReadOnlyDictionary<string, double>)Finite(cal, p.Name), StringComparer.Ordinal)
                    : new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal),
                Config = r.TryGetProperty("config", out var cfg) && cfg.ValueKind == JsonValueKind.Object
                    ? cfg.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? string.Empty : p.Value.GetRawText(), StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: not a results file of this program ({ex.Message}).", ex);
        }
    }

    /// <summary>Mean and sample standard deviation of <paramref name="values"/> (NaN for no values; the deviation NaN for one).</summary>
    public static (double Mean, double Sd) MeanSd(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = values.Average();
        double sd = values.Count > 1 ? Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Count - 1)) : double.NaN;
        return (mean, sd);
    }

    /// <summary>
    /// Reads the results.json of each directory of <paramref name="runDirectories"/> that has one, then every results.json
    /// under each of <paramref name="searchDirectories"/> (see <see cref="Find"/>); a file reached twice is read once.
    /// </summary>
    public static IReadOnlyList<RunResult> ReadAll(IEnumerable<string> runDirectories, IEnumerable<string> searchDirectories)
    {
        ArgumentNullException.ThrowIfNull(runDirectories);
        ArgumentNullException.ThrowIfNull(searchDirectories);
        var files = runDirectories.Select(d => System.IO.Path.Combine(d, FileName)).Where(File.Exists).Concat(searchDirectories.SelectMany(Find));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return files.Where(f => seen.Add(System.IO.Path.GetFullPath(f))).Select(Read).ToList();
    }

    /// <summary>Recorded options that never split runs into groups: those a group has its own key for, and those that do not shape a run.</summary>
    private static readonly HashSet<string> NotSettings = new(StringComparer.Ordinal) { "method", "seed", "seeds", "fraction", "out", "resume", "overwrite", "shard", "verbose", "variant", "space", "config", "device", "deterministic" };

    /// <summary>
    /// The setting columns of a table of <paramref name="results"/>: the options that split groups beyond experiment, variant,
    /// space, method and fraction. They are <paramref name="leading"/> (such as the swept options, in their order; variant and
    /// space, which have their own key, are left out), then every
    /// other recorded option, in ordinal order, whose value differs between runs of one experiment, so that runs that differ
    /// in more than their seed are never averaged together.
    /// </summary>
    public static IReadOnlyList<string> SettingColumns(IReadOnlyCollection<RunResult> results, IEnumerable<string> leading)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(leading);
        var columns = leading.Where(c => c is not ("variant" or "space")).Distinct().ToList(); // those two have their own key
        foreach (var key in results.SelectMany(r => r.Config.Keys).Distinct().Where(k => !NotSettings.Contains(k) && !columns.Contains(k)).Order(StringComparer.Ordinal).ToList())
        {
            if (results.GroupBy(r => r.Experiment).Any(g => g.Select(r => r.Config.GetValueOrDefault(key)).Distinct().Count() > 1))
            {
                columns.Add(key);
            }
        }
        return columns;
    }

    /// <summary>A run's values of <paramref name="columns"/> as a label, " NAME=VALUE" each (empty for no columns).</summary>
    public static string SettingsLabel(RunResult result, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(columns);
        return string.Concat(columns.Select(c => $" {c}={result.Config.GetValueOrDefault(c, string.Empty)}"));
    }

    /// <summary>
    /// Runs grouped over seeds: one group per experiment, variant, space, method, fraction and values of
    /// <paramref name="columns"/>, ordered by those (text in ordinal order, the fraction and option values that are numbers as
    /// numbers).
    /// </summary>
    public static IReadOnlyList<ResultGroup> Groups(IEnumerable<RunResult> results, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(columns);
        var groups = results.GroupBy(r => (r.Experiment, r.Variant, r.Space, r.Method, r.Fraction, Settings: string.Join("\u001f", columns.Select(c => r.Config.GetValueOrDefault(c, string.Empty)))))
            .Select(g => new ResultGroup(g.Key.Experiment, g.Key.Variant, g.Key.Space, g.Key.Method, g.Key.Fraction,
                columns.Select(c => g.First().Config.GetValueOrDefault(c, string.Empty)).ToArray(), g.ToList()))
            .ToList();
        groups.Sort((a, b) =>
        {
            int c = string.CompareOrdinal(a.Experiment, b.Experiment);
            c = c != 0 ? c : string.CompareOrdinal(a.Variant, b.Variant);
            c = c != 0 ? c : string.CompareOrdinal(a.Space, b.Space);
            c = c != 0 ? c : string.CompareOrdinal(a.Method, b.Method);
            c = c != 0 ? c : a.Fraction.CompareTo(b.Fraction);
            for (int i = 0; c == 0 && i < a.Settings.Count; i++)
            {
                c = CompareValues(a.Settings[i], b.Settings[i]);
            }
            return c;
        });
        return groups;
    }

    /// <summary>Orders option values as numbers where both are numbers, else as text (ordinal).</summary>
    private static int CompareValues(string a, string b)
    {
        var ic = CultureInfo.InvariantCulture;
        if (double.TryParse(a, NumberStyles.Float, ic, out double x) && double.TryParse(b, NumberStyles.Float, ic, out double y))
        {
            return x.CompareTo(y);
        }
        return string.CompareOrdinal(a, b);
    }

    /// <summary>
    /// The sample-efficiency series: per method and values of <paramref name="columns"/> (named METHOD plus
    /// <see cref="SettingsLabel"/>), <paramref name="metric"/> against the training fraction (mean and standard deviation over
    /// the runs at that fraction; 0 deviation for one run), in ordinal order of the names.
    /// </summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<(double X, double Mean, double Sd)> Points)> SampleEfficiency(IEnumerable<RunResult> results, string metric, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(columns);
        return results.Where(r => r.Metrics.ContainsKey(metric)).GroupBy(r => r.Method + SettingsLabel(r, columns)).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<(double, double, double)>)g.GroupBy(r => r.Fraction).OrderBy(f => f.Key).Select(f =>
            {
                var (mean, sd) = MeanSd(f.Select(r => r.Metrics[metric]).ToArray());
                return (f.Key, mean, double.IsNaN(sd) ? 0 : sd);
            }).ToList())).ToList();
    }

    private static string? String(JsonElement r, string name) => r.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e.GetString() : null;

    private static int Int(JsonElement r, string name) => r.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e.GetInt32() : 0;

    private static double Number(JsonElement r, string name) => r.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e.GetDouble() : double.NaN;

    private static List<double> Numbers(JsonElement r, string name)
        => r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? double.NaN : x.GetDouble()).ToList() : [];

    private static List<string> Strings(JsonElement r, string name)
        => r.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? string.Empty : x.GetRawText()).ToList() : [];

    private static DiscoverTest Test(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"tests[{index}] is not an object");
        }
        var ci = Numbers(e, "loss_ratio_ci95");
        return new DiscoverTest
        {
            Compact = e.TryGetProperty("compact", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False ? c.GetBoolean() : null,
            HalfPeriod = Number(e, "half_period"),
            TestMagnitude = Number(e, "test_magnitude"),
            LossRatio = Number(e, "loss_ratio"),
            LossRatioLow = ci.Count == 2 ? ci[0] : double.NaN,
            LossRatioHigh = ci.Count == 2 ? ci[1] : double.NaN,
            PValue = Number(e, "p_value"),
            DistributionAccuracy = Number(e, "distribution_accuracy"),
            DistributionPValue = Number(e, "distribution_p_value"),
        };
    }

    private static IEnumerable<double> Flatten(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => [e.GetDouble()],
        JsonValueKind.Array => e.EnumerateArray().SelectMany(Flatten),
        JsonValueKind.Object => e.EnumerateObject().SelectMany(p => Flatten(p.Value)),
        _ => [],
    };

    private static Dictionary<string, double> Finite(JsonElement parent, string name)
    {
        var d = new Dictionary<string, double>();
        if (parent.TryGetProperty(name, out var o) && o.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in o.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                double v = p.Value.GetDouble();
                if (double.IsFinite(v))
                {
                    d[p.Name] = v;
                }
            }
        }
        return d;
    }

    private static RunEpoch Epoch(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"history[{index}] is not an object");
        }
        return new RunEpoch(e.TryGetProperty("epoch", out var ep) && ep.ValueKind == JsonValueKind.Number ? ep.GetInt32() : index + 1,
            Finite(e, "losses"), Finite(e, "validation"), Number(e, "generator_cosine"), Number(e, "subspace_similarity"));
    }

    private static double[,]? Matrix(JsonElement e, string name)
    {
        if (e.ValueKind == JsonValueKind.Null || (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 0))
        {
            return null;
        }
        if (e.ValueKind != JsonValueKind.Array || e[0].ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"'{name}' is not a matrix (a list of rows)");
        }
        int n = e.GetArrayLength(), m = e[0].GetArrayLength();
        var a = new double[n, m];
        for (int i = 0; i < n; i++)
        {
            if (e[i].ValueKind != JsonValueKind.Array || e[i].GetArrayLength() != m)
            {
                throw new FormatException($"'{name}' row {i} does not have {m} entries");
            }
            for (int j = 0; j < m; j++)
            {
                a[i, j] = e[i][j].ValueKind == JsonValueKind.Null ? double.NaN : e[i][j].GetDouble();
            }
        }
        return a;
    }
}

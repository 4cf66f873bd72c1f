using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CommandLine;

namespace Semola.Experiments;

/// <summary>
/// Configuration files: <c>--config FILE</c> on any verb reads a JSON object <c>{"verb": "nbody", "options": {"epochs":
/// 4, "variant": "ood"}}</c> and expands it into command-line options before parsing (options given on the command line
/// win over the file's; a verb on the command line must agree with the file's). Every run writes its effective
/// configuration in the same format as DIR/config.json (<see cref="WriteEffectiveConfig"/>), so
/// <c>--config DIR/config.json</c> runs it again. Option errors (an unknown verb or option, a value of the wrong JSON
/// type) are <see cref="ExperimentRunner.OptionException"/>s (exit 2); a missing, unreadable or malformed file is an
/// <see cref="IOException"/> or <see cref="InvalidDataException"/> (exit 1).
/// </summary>
public static class ConfigFile
{
    /// <summary>The name of the effective configuration each run writes into its output directory.</summary>
    public const string FileName = "config.json";

    /// <summary>
    /// Options a written configuration leaves out because replaying them would not mean the same run: --resume and
    /// --overwrite act on an existing directory, --verbose only changes error output, --shard picks part of a sweep
    /// (the configuration of a sweep describes all of it).
    /// </summary>
    public static readonly IReadOnlySet<string> NotReplayed = new HashSet<string>(StringComparer.Ordinal) { "resume", "overwrite", "verbose", "shard" };

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Expands <c>--config FILE</c> (or <c>--config=FILE</c>) in <paramref name="args"/> into the verb and options the
    /// file gives, and joins repeated list options (such as <c>compare --sweep</c>) into one; returns the arguments
    /// for the parser (the same array when there is nothing to expand).
    /// </summary>
    public static string[] Expand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var at = Enumerable.Range(0, args.Length).Where(i => args[i] == "--config" || args[i].StartsWith("--config=", StringComparison.Ordinal)).ToArray();
        if (at.Length > 1)
        {
            throw new ExperimentRunner.OptionException("--config is given more than once.");
        }
        if (at.Length == 0)
        {
            return JoinRepeatedLists(args);
        }
        int k = at[0];
        string path;
        var rest = new List<string>(args);
        if (args[k] == "--config")
        {
            if (k + 1 >= args.Length || args[k + 1].StartsWith("--", StringComparison.Ordinal) || args[k + 1].Length == 0)
            {
                throw new ExperimentRunner.OptionException("--config needs a file name (--config FILE.json).");
            }
            path = args[k + 1];
            rest.RemoveRange(k, 2);
        }
        else
        {
            path = args[k]["--config=".Length..];
            if (path.Length == 0)
            {
                throw new ExperimentRunner.OptionException("--config needs a file name (--config FILE.json).");
            }
            rest.RemoveAt(k);
        }
        string? commandVerb = rest.Count > 0 && !rest[0].StartsWith('-') ? rest[0] : null;
        if (commandVerb is not null)
        {
            rest.RemoveAt(0);
        }
        var (verb, fileOptions) = Read(path, commandVerb);
        var given = new HashSet<string>(rest.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2).Select(a => a[2..].Split('=', 2)[0]), StringComparer.Ordinal);
        var expanded = new List<string> { verb };
        foreach (var (name, tokens) in fileOptions)
        {
            if (!given.Contains(name))
            {
                expanded.AddRange(tokens);
            }
        }
        expanded.AddRange(rest);
        return JoinRepeatedLists([.. expanded]);
    }

    /// <summary>Reads a configuration file: its verb (checked against <paramref name="commandVerb"/>) and each option as command-line tokens.</summary>
    private static (string Verb, List<(string Name, string[] Tokens)> Options) Read(string path, string? commandVerb)
    {
        if (!File.Exists(path))
        {
            throw new IOException(Directory.Exists(path) ? $"--config '{path}' is a directory, not a file." : $"--config '{path}' is not a file.");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--config '{path}' cannot be read ({ex.Message}).", ex);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, Reading);
        }
        catch (JsonException ex)
        {
            string why = ex.Message;
            int cut = why.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut >= 0)
            {
                why = why[..cut];
            }
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"--config '{path}' is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}): {why}"), ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ExperimentRunner.OptionException($"--config '{path}': expected a JSON object {{\"verb\": ..., \"options\": {{...}}}}, found {Kind(root)}.");
            }
            string? fileVerb = null;
            JsonElement? options = null;
            foreach (var p in root.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "verb":
                        fileVerb = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()
                            : throw new ExperimentRunner.OptionException($"--config '{path}': \"verb\" must be a string, found {Kind(p.Value)}.");
                        break;
                    case "options":
                        options = p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null ? p.Value
                            : throw new ExperimentRunner.OptionException($"--config '{path}': \"options\" must be an object of option names to values, found {Kind(p.Value)}.");
                        break;
                    default:
                        throw new ExperimentRunner.OptionException($"--config '{path}': unknown key \"{p.Name}\"; a configuration has \"verb\" and \"options\".");
                }
            }
            if (fileVerb is not null && commandVerb is not null && fileVerb != commandVerb)
            {
                throw new ExperimentRunner.OptionException($"the command line asks for verb '{commandVerb}' but --config '{path}' is for verb '{fileVerb}'.");
            }
            string verb = commandVerb ?? fileVerb
                ?? throw new ExperimentRunner.OptionException($"--config '{path}' names no verb; add \"verb\": \"...\" to it or give the verb on the command line.");
            var type = OptionCatalog.OptionsType(verb)
                ?? throw new ExperimentRunner.OptionException($"--config '{path}': unknown verb '{verb}'; known verbs: {string.Join(", ", OptionCatalog.Verbs())}.");
            var known = OptionCatalog.Options(type);
            var result = new List<(string, string[])>();
            if (options is { ValueKind: JsonValueKind.Object } o)
            {
                foreach (var p in o.EnumerateObject())
                {
                    string name = p.Name.StartsWith("--", StringComparison.Ordinal) ? p.Name[2..] : p.Name;
                    if (!known.TryGetValue(name, out var property))
                    {
                        throw new ExperimentRunner.OptionException($"--config '{path}': '{p.Name}' is not an option of verb '{verb}'; {verb} --help lists them.");
                    }
                    result.Add((name, Tokens(path, name, property, p.Value)));
                }
            }
            return (verb, result);
        }
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string? Scalar(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        _ => null,
    };

    /// <summary>The command-line tokens of one option of a configuration file, checking the value's JSON type against the option's.</summary>
    private static string[] Tokens(string path, string name, PropertyInfo option, JsonElement value)
    {
        var ic = CultureInfo.InvariantCulture;
        string Wrong(string expected) => $"--config '{path}': option \"{name}\" must be {expected}, found {Kind(value)}{(value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? " " + value.GetRawText() : string.Empty)}.";
        if (value.ValueKind == JsonValueKind.Null)
        {
            return []; // null leaves the option at its default
        }
        if (OptionCatalog.IsSwitch(option))
        {
            return value.ValueKind switch
            {
                JsonValueKind.True => [$"--{name}"],
                JsonValueKind.False => [],
                _ => throw new ExperimentRunner.OptionException(Wrong("true or false")),
            };
        }
        if (OptionCatalog.IsInteger(option))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n))
            {
                return [$"--{name}={n.ToString(ic)}"];
            }
            if (value.ValueKind == JsonValueKind.Number && value.GetDouble() is double whole && whole == Math.Floor(whole) && Math.Abs(whole) < 1e15)
            {
                return [$"--{name}={((long)whole).ToString(ic)}"]; // 4.0 or 1e3
            }
            if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.Integer, ic, out n))
            {
                return [$"--{name}={n.ToString(ic)}"];
            }
            throw new ExperimentRunner.OptionException(Wrong("a whole number"));
        }
        if (OptionCatalog.IsReal(option))
        {
            if (value.ValueKind == JsonValueKind.Number)
            {
                return [$"--{name}={value.GetDouble().ToString("R", ic)}"];
            }
            if (value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, ic, out double x))
            {
                return [$"--{name}={x.ToString("R", ic)}"];
            }
            throw new ExperimentRunner.OptionException(Wrong("a number"));
        }
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0)
        {
            return []; // an empty list leaves the option at its default
        }
        var items = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(Scalar).ToArray() : [Scalar(value)];
        if (items.Any(s => s is null))
        {
            throw new ExperimentRunner.OptionException(Wrong("a string, a number or an array of them"));
        }
        char sep = OptionCatalog.ListSeparator(option) ?? ',';
        if (sep == ' ')
        {
            return [$"--{name}", .. items!];
        }
        return [$"--{name}={string.Join(sep, items)}"];
    }

    /// <summary>
    /// Joins repeated occurrences of a list option with a separator (such as <c>--sweep a=1,2 --sweep b=3</c>) into one
    /// (<c>--sweep=a=1,2;b=3</c>), which the parser would otherwise refuse as given twice.
    /// </summary>
    private static string[] JoinRepeatedLists(string[] args)
    {
        string? verb = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : null;
        var type = verb is null
            ? typeof(OptionCatalog).Assembly.GetTypes().FirstOrDefault(t => t.GetCustomAttribute<VerbAttribute>() is { IsDefault: true })
            : OptionCatalog.OptionsType(verb);
        if (type is null)
        {
            return args;
        }
        string[] result = args;
        foreach (var (name, option) in OptionCatalog.Options(type))
        {
            if (OptionCatalog.ListSeparator(option) is not { } sep || sep == ' ')
            {
                continue;
            }
            var values = new List<string>();
            var kept = new List<string>();
            int first = -1;
            for (int i = 0; i < result.Length; i++)
            {
                if (result[i] == "--" + name && i + 1 < result.Length)
                {
                    first = first < 0 ? kept.Count : first;
                    values.Add(result[++i]);
                }
                else if (result[i].StartsWith("--" + name + "=", StringComparison.Ordinal))
                {
                    first = first < 0 ? kept.Count : first;
                    values.Add(result[i][(name.Length + 3)..]);
                }
                else
                {
                    kept.Add(result[i]);
                }
            }
            if (values.Count > 1)
            {
                kept.Insert(first, $"--{name}={string.Join(sep, values)}");
                result = [.. kept];
            }
        }
        return result;
    }

    /// <summary>
    /// Writes DIR/config.json: <paramref name="verb"/> and every option of <paramref name="options"/> (an options object
    /// of a verb) with its JSON type (switches as booleans, numbers as numbers, lists as arrays), leaving out unset
    /// options, empty lists and those in <see cref="NotReplayed"/>; <c>--config DIR/config.json</c> runs the same configuration.
    /// Returns the file's path.
    /// </summary>
    /// <param name="dir">The run's output directory.</param>
    /// <param name="verb">The verb that ran.</param>
    /// <param name="options">Its options object (a class marked with a verb attribute).</param>
    /// <param name="leaveOut">Further option names to leave out.</param>
    public static string WriteEffectiveConfig(string dir, string verb, object options, IReadOnlyCollection<string>? leaveOut = null)
    {
        ArgumentNullException.ThrowIfNull(dir);
        ArgumentNullException.ThrowIfNull(verb);
        ArgumentNullException.ThrowIfNull(options);
        var values = new JsonObject();
        foreach (var (name, p) in OptionCatalog.Options(options.GetType()).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (NotReplayed.Contains(name) || (leaveOut?.Contains(name) ?? false) || p.GetValue(options) is not { } v
                || (v is System.Collections.IEnumerable list and not string && !list.Cast<object>().Any()))
            {
                continue;
            }
            values[name] = v switch
            {
                bool b => JsonValue.Create(b),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                double d when double.IsFinite(d) => JsonValue.Create(d),
                double d => JsonValue.Create(d.ToString("R", CultureInfo.InvariantCulture)),
                float f when float.IsFinite(f) => JsonValue.Create((double)f),
                string s => JsonValue.Create(s),
                System.Collections.IEnumerable e => new JsonArray(e.Cast<object>().Select(x => (JsonNode?)JsonValue.Create(Convert.ToString(x, CultureInfo.InvariantCulture))).ToArray()),
                _ => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)),
            };
        }
        var root = new JsonObject { ["verb"] = verb, ["options"] = values };
        string path = Path.Combine(dir, FileName);
        OutputFiles.WriteAtomic(path, root.ToJsonString(Indented) + "\n");
        return path;
    }
}

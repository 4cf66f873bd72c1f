using System.Globalization;

namespace Semola.Experiments;

/// <summary>
/// <c>--seeds</c> and <c>--shard</c> on an experiment verb: <c>nbody --seeds 1,2,3 --out OUT</c> makes one ordinary run
/// per seed in OUT/s1, OUT/s2, OUT/s3 (each continued with --resume when its directory already holds a run, so the same
/// command picks up after an interruption), and <c>--shard i/n</c> keeps the k-th seed of the list (from 0) when
/// k mod n = i - 1. Without --seeds the single run is the list's only entry (shard 1 of n runs it; the others have
/// nothing to do). <c>compare --from OUT</c> merges the seeds into a table.
/// </summary>
public static class SeedList
{
    /// <summary>Runs this shard's seeds of <paramref name="o"/>, re-running the command line <paramref name="args"/> once per seed; returns the exit code.</summary>
    /// <param name="o">The parsed options (with --seeds or --shard).</param>
    /// <param name="args">The command line they came from (verb first).</param>
    /// <param name="output">Progress output.</param>
    /// <param name="error">Error output.</param>
    public static int Run(ExperimentOptions o, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ic = CultureInfo.InvariantCulture;
        var shard = o.Shard is null ? Shard.All : Shard.Parse(o.Shard);
        string verb = OptionCatalog.VerbOf(o);
        var rest = args.Length > 0 && !args[0].StartsWith('-') ? args.Skip(1) : args;
        if (o.Seeds is null)
        {
            if (!shard.Owns(0))
            {
                output.WriteLine($"{verb}: shard {shard} has nothing to do: a single run (no --seeds) belongs to shard 1/{shard.Count}.");
                return 0;
            }
            return ExperimentsApp.Run([verb, .. Without(rest, "shard")], output, error);
        }
        if (Given(args, "seed"))
        {
            throw new ExperimentRunner.OptionException("give either --seed (one run) or --seeds (one run per seed), not both.");
        }
        var seeds = o.Seeds.Split(',', StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, NumberStyles.Integer, ic, out int v) ? v : throw new ExperimentRunner.OptionException($"--seeds: '{s}' is not an integer.")).ToArray();
        if (seeds.Length == 0 || seeds.Distinct().Count() != seeds.Length)
        {
            throw new ExperimentRunner.OptionException($"--seeds '{o.Seeds}' must list at least one seed, each once.");
        }
        string outDir = o.Out ?? Path.Combine("runs", o.Experiment);
        var mine = shard.Select(seeds);
        bool fresh = Given(args, "resume") || Given(args, "overwrite");
        int worst = 0;
        foreach (var seed in mine)
        {
            string dir = Path.Combine(outDir, string.Create(ic, $"s{seed}"));
            string[] run = [verb, .. Without(rest, "seeds", "shard", "out"), "--seed", seed.ToString(ic), "--out", dir];
            if (!fresh && (File.Exists(Path.Combine(dir, "results.json")) || Directory.Exists(Path.Combine(dir, "checkpoints"))))
            {
                run = [.. run, "--resume"];
            }
            output.WriteLine($"{verb}: --seed {seed} -> {dir}{(shard.IsAll ? string.Empty : $" [shard {shard}]")}");
            int code = ExperimentsApp.Run(run, output, error);
            if (code == ExperimentsApp.UsageError)
            {
                return code; // the options are wrong for every seed
            }
            if (code != 0)
            {
                error.WriteLine($"error: the run of seed {seed} failed (exit {code}); the other seeds go on.");
                worst = Math.Max(worst, code);
            }
        }
        if (mine.Count == 0)
        {
            output.WriteLine($"{verb}: shard {shard} has nothing to do: the --seeds list has {seeds.Length} entries.");
        }
        else
        {
            // The list's own configuration (each seed's run writes its own in OUT/sSEED).
            ConfigFile.WriteEffectiveConfig(OutputFiles.PrepareDirectory(outDir), verb, o, leaveOut: ["seed"]);
        }
        return worst;
    }

    private static bool Given(string[] args, string name) => args.Any(a => a == "--" + name || a.StartsWith("--" + name + "=", StringComparison.Ordinal));

    /// <summary>The arguments without the valued options <paramref name="names"/> (as "--name value" or "--name=value").</summary>
    private static List<string> Without(IEnumerable<string> args, params string[] names)
    {
        var list = args.ToList();
        var kept = new List<string>();
        for (int i = 0; i < list.Count; i++)
        {
            string a = list[i];
            if (names.Any(n => a == "--" + n))
            {
                i++; // its value
            }
            else if (!names.Any(n => a.StartsWith("--" + n + "=", StringComparison.Ordinal)))
            {
                kept.Add(a);
            }
        }
        return kept;
    }
}

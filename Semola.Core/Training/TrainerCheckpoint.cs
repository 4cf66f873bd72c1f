using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Semola.Autodiff.Checkpoints;

namespace Semola.Core.Training;

/// <summary>
/// Epoch checkpoints of a <see cref="Trainer"/>: DIR/epoch-NNN/ holds one NAME.smla per registered module
/// (parameters, buffers and optimizer state; docs/checkpoint-format.md) and state.json (the run identity, step
/// count, divergence references and epoch history), written last so that only complete epochs count. The two
/// most recent epochs of the same run are kept; another run's epochs are never touched.
/// </summary>
public static class TrainerCheckpoint
{
    private const string StateFile = "state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>What state.json holds.</summary>
    /// <param name="Epoch">Completed epochs.</param>
    /// <param name="Steps">Optimizer steps taken.</param>
    /// <param name="Method">The method's name.</param>
    /// <param name="Identity">The run's identity.</param>
    /// <param name="WallSeconds">Wall-clock seconds spent by the run so far (over all its resumes).</param>
    /// <param name="References">Divergence references.</param>
    /// <param name="History">The epoch history.</param>
    public sealed record State(int Epoch, long Steps, string Method, RunIdentity Identity, double WallSeconds, Dictionary<string, double> References, List<EpochRecord> History);

    /// <summary>Saves the trainer after its latest epoch; returns the epoch directory.</summary>
    public static string Save(string directory, Trainer trainer, RunIdentity identity, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(identity);
        int epoch = trainer.History.Count;
        string dir = EpochDirectory(directory, epoch);
        if (Directory.Exists(dir) && ReadState(dir) is { } existing && existing.Identity.RunId != identity.RunId)
        {
            throw new IOException($"{dir} belongs to another run ({existing.Identity.RunId}); refusing to overwrite it.");
        }
        Directory.CreateDirectory(dir);
        foreach (var m in trainer.Modules)
        {
            Checkpoint.Save(Path.Combine(dir, m.Name + ".smla"), m.Module, m.Optimizer);
        }
        var state = new State(epoch, trainer.Steps, trainer.Method.Name, identity, wallSeconds, trainer.References.ToDictionary(), trainer.History.ToList());
        string tmp = Path.Combine(dir, $".{StateFile}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(state, Json));
        File.Move(tmp, Path.Combine(dir, StateFile), overwrite: true);
        foreach (var old in EpochDirectories(directory).Where(e => e.State.Identity.RunId == identity.RunId).SkipLast(2))
        {
            Directory.Delete(old.Path, recursive: true);
        }
        return dir;
    }

    /// <summary>DIR/epoch-NNN.</summary>
    public static string EpochDirectory(string directory, int epoch) => Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"epoch-{epoch:D3}"));

    /// <summary>The complete epoch checkpoints in <paramref name="directory"/>, oldest first, with their states.</summary>
    public static IReadOnlyList<(int Epoch, string Path, State State)> EpochDirectories(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        var result = new List<(int, string, State)>();
        foreach (var d in Directory.GetDirectories(directory, "epoch-*"))
        {
            if (int.TryParse(Path.GetFileName(d).AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int e) && ReadState(d) is { } state)
            {
                result.Add((e, d, state));
            }
        }
        return result.OrderBy(t => t.Item1).ToList();
    }

    private static State? ReadState(string epochDirectory)
    {
        string path = Path.Combine(epochDirectory, StateFile);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path}: empty training state.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: malformed training state ({ex.Message}).", ex);
        }
    }

    /// <summary>
    /// Restores the latest complete epoch from <paramref name="directory"/> into <paramref name="trainer"/> and returns its
    /// state, or null when there is none. A checkpoint of another method or with any other configuration or data than
    /// <paramref name="requested"/> (except the options in <see cref="RunIdentity.MayChange"/>) is refused, listing the differences.
    /// </summary>
    public static State? LoadLatest(string directory, Trainer trainer, RunIdentity requested)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(requested);
        var all = EpochDirectories(directory);
        if (all.Count == 0)
        {
            return null;
        }
        var (_, path, state) = all[^1];
        var diffs = state.Identity.Differences(requested);
        if (state.Method != trainer.Method.Name && diffs.Count == 0)
        {
            diffs = [$"--method: {state.Method} -> {trainer.Method.Name}"];
        }
        if (diffs.Count > 0)
        {
            throw new InvalidDataException($"{path}: cannot resume: the checkpoint was made with other options or data ({string.Join("; ", diffs)}). Use the original options, another --out, or --overwrite to start afresh.");
        }
        var files = trainer.Modules.Select(m => Path.Combine(path, m.Name + ".smla")).ToList();
        foreach (var f in files.Where(f => !File.Exists(f)))
        {
            throw new InvalidDataException($"{f}: missing from the checkpoint.");
        }
        foreach (var m in trainer.Modules)
        {
            Checkpoint.Load(Path.Combine(path, m.Name + ".smla"), m.Module, m.Optimizer);
        }
        trainer.Restore(state.History, state.Steps, state.References);
        return state;
    }
}

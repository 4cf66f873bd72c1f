using System.Globalization;
using System.Text.Json;
using Semola.Autodiff.Checkpoints;

namespace Semola.Core.Training;

/// <summary>
/// Epoch checkpoints of a trainer (<see cref="ImageSymmetryTrainer"/>, <see cref="NBodyTrainer"/>): DIR/epoch-NNN/ holds model.smla,
/// augmenter.smla and discriminator.smla (parameters, buffers and optimizer state, see
/// docs/checkpoint-format.md) and state.json (the epoch history), written last so that only complete
/// epochs count. The two most recent epochs are kept.
/// </summary>
public static class TrainerCheckpoint
{
    private const string StateFile = "state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record State<TRecord>(int Epoch, long Steps, string Method, int Seed, List<TRecord> History);

    /// <summary>Saves the trainer after its latest epoch.</summary>
    public static string Save<TRecord>(string directory, ICheckpointedTrainer<TRecord> trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        int epoch = trainer.History.Count;
        string dir = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"epoch-{epoch:D3}"));
        Directory.CreateDirectory(dir);
        Checkpoint.Save(Path.Combine(dir, "model.smla"), trainer.Model, trainer.ModelOptimizer);
        if (trainer.Augmenter is not null)
        {
            Checkpoint.Save(Path.Combine(dir, "augmenter.smla"), trainer.Augmenter, trainer.AugmenterOptimizer);
        }
        if (trainer.Discriminator is not null)
        {
            Checkpoint.Save(Path.Combine(dir, "discriminator.smla"), trainer.Discriminator, trainer.Discriminator.Optimizer);
        }
        var state = new State<TRecord>(epoch, trainer.Steps, trainer.MethodName, trainer.Seed, trainer.History.ToList());
        string tmp = Path.Combine(dir, StateFile + ".tmp");
        File.WriteAllText(tmp, JsonSerializer.Serialize(state, Json));
        File.Move(tmp, Path.Combine(dir, StateFile), overwrite: true);
        foreach (var old in EpochDirectories(directory).SkipLast(2))
        {
            Directory.Delete(old.Path, recursive: true);
        }
        return dir;
    }

    private static IEnumerable<(int Epoch, string Path)> EpochDirectories(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }
        return Directory.GetDirectories(directory, "epoch-*")
            .Select(d => (Ok: int.TryParse(Path.GetFileName(d).AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out int e), Epoch: e, Path: d))
            .Where(t => t.Ok && File.Exists(Path.Combine(t.Path, StateFile)))
            .OrderBy(t => t.Epoch)
            .Select(t => (t.Epoch, t.Path));
    }

    /// <summary>
    /// Restores the latest complete epoch from <paramref name="directory"/> into <paramref name="trainer"/>;
    /// returns that epoch, or 0 when there is none. A checkpoint of another method or seed is an error.
    /// </summary>
    public static int LoadLatest<TRecord>(string directory, ICheckpointedTrainer<TRecord> trainer)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        var latest = EpochDirectories(directory).LastOrDefault();
        if (latest.Path is null)
        {
            return 0;
        }
        string statePath = Path.Combine(latest.Path, StateFile);
        State<TRecord> state;
        try
        {
            state = JsonSerializer.Deserialize<State<TRecord>>(File.ReadAllText(statePath), Json)
                ?? throw new InvalidDataException($"{statePath}: empty training state.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{statePath}: malformed training state ({ex.Message}).", ex);
        }
        if (state.Method != trainer.MethodName || state.Seed != trainer.Seed)
        {
            throw new InvalidDataException($"{statePath}: the checkpoint is of method {state.Method}, seed {state.Seed}; this run is {trainer.MethodName}, seed {trainer.Seed}. Use another output directory or matching options.");
        }
        Checkpoint.Load(Path.Combine(latest.Path, "model.smla"), trainer.Model, trainer.ModelOptimizer);
        if (trainer.Augmenter is not null)
        {
            Checkpoint.Load(Path.Combine(latest.Path, "augmenter.smla"), trainer.Augmenter, trainer.AugmenterOptimizer);
        }
        if (trainer.Discriminator is not null)
        {
            Checkpoint.Load(Path.Combine(latest.Path, "discriminator.smla"), trainer.Discriminator, trainer.Discriminator.Optimizer);
        }
        trainer.RestoreHistory(state.History, state.Steps);
        return state.Epoch;
    }
}

namespace Semola.Core.Training;

/// <summary>
/// Who a run is: an id made when it starts fresh (kept through resumes), its full effective configuration (option
/// name to value) and the checksum of its data. Checkpoints carry it; --resume refuses any difference except in
/// <see cref="MayChange"/>.
/// </summary>
/// <param name="RunId">Made when the run starts fresh.</param>
/// <param name="Config">Every option that shapes the run, name to value as text.</param>
/// <param name="DataSha256">SHA-256 of the run's data splits.</param>
public sealed record RunIdentity(string RunId, IReadOnlyDictionary<string, string> Config, string DataSha256)
{
    /// <summary>Options a resumed run may change: more epochs, another device, and options that only affect output or logging.</summary>
    public static readonly IReadOnlySet<string> MayChange = new HashSet<string>(StringComparer.Ordinal)
    {
        "epochs", "device", "resume", "overwrite", "verbose", "out", "config",
    };

    /// <summary>A fresh identity with a new id.</summary>
    public static RunIdentity Fresh(IReadOnlyDictionary<string, string> config, string dataSha256) =>
        new(Guid.NewGuid().ToString("N"), config, dataSha256);

    /// <summary>The options (and data) in which <paramref name="requested"/> differs from this identity, as "name: old -> new".</summary>
    public IReadOnlyList<string> Differences(RunIdentity requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var diffs = new List<string>();
        foreach (var key in Config.Keys.Union(requested.Config.Keys).Where(k => !MayChange.Contains(k)).OrderBy(k => k, StringComparer.Ordinal))
        {
            string? a = Config.GetValueOrDefault(key);
            string? b = requested.Config.GetValueOrDefault(key);
            if (a != b)
            {
                diffs.Add($"--{key}: {a ?? "(unset)"} -> {b ?? "(unset)"}");
            }
        }
        if (DataSha256 != requested.DataSha256)
        {
            diffs.Add($"data checksum: {DataSha256[..Math.Min(12, DataSha256.Length)]}... -> {requested.DataSha256[..Math.Min(12, requested.DataSha256.Length)]}...");
        }
        return diffs;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Semola.Core.Lie;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>
/// Writes a run's results.json, epochs.csv and generators.svg (atomically) from the trainer's history, the same way for
/// every experiment. Non-finite numbers are written as null; a diverged run says so.
/// </summary>
public static class ResultsWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The program's version (recorded in every results.json).</summary>
    public static string Version => typeof(Trainer).Assembly.GetName().Version?.ToString() ?? "0.0.0";

    private static JsonObject Numbers(IReadOnlyDictionary<string, double>? values, string prefix = "")
    {
        var o = new JsonObject();
        foreach (var (k, v) in values ?? new Dictionary<string, double>())
        {
            o[prefix + k] = ResultsOutput.Number(v);
        }
        return o;
    }

    /// <summary>Writes the three files for the epochs so far.</summary>
    public static void Write(string outDir, string experiment, Trainer trainer, RunIdentity identity, IReadOnlyDictionary<string, object?> header,
        double wallSeconds, Device device, string? divergence)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(header);
        var history = trainer.History;
        var last = history.Count > 0 ? history[^1] : null;
        var generators = trainer.Method.Augmenter?.DirectionMatrices() ?? [];
        var gt = trainer.Task.GroundTruth?.Generator;
        var metrics = new JsonObject();
        foreach (var (k, v) in Numbers(last?.Test, "test_"))
        {
            metrics[k] = v?.DeepClone();
        }
        foreach (var (k, v) in Numbers(last?.Validation, "validation_"))
        {
            metrics[k] = v?.DeepClone();
        }
        metrics["generator_cosine"] = ResultsOutput.Number(last?.GeneratorCosine ?? double.NaN);
        metrics["subspace_similarity"] = ResultsOutput.Number(last?.SubspaceSimilarity ?? double.NaN);
        if (generators.Length > 1)
        {
            metrics["basis_spread"] = ResultsOutput.Number(LieAlgebraMetrics.BasisSpread(generators));
        }
        foreach (var (k, v) in last?.References ?? new Dictionary<string, double>())
        {
            metrics[k] = ResultsOutput.Number(v);
        }
        var root = new JsonObject
        {
            ["experiment"] = experiment,
            ["method"] = trainer.Method.Name,
        };
        foreach (var (k, v) in header)
        {
            root[k] = JsonSerializer.SerializeToNode(v);
        }
        root["seed"] = trainer.Options.Seed;
        root["device"] = device.Name;
        root["version"] = Version;
        root["run_id"] = identity.RunId;
        root["data_sha256"] = identity.DataSha256;
        root["fraction"] = double.Parse(identity.Config.GetValueOrDefault("fraction", "1"), System.Globalization.CultureInfo.InvariantCulture);
        root["train_samples"] = trainer.Task.Train.Count;
        root["validation_samples"] = trainer.Task.Validation.Count;
        root["test_samples"] = trainer.Task.Test.Count;
        root["epochs"] = history.Count;
        root["total_epochs"] = trainer.TotalEpochs;
        root["finished"] = divergence is null && history.Count >= trainer.TotalEpochs;
        root["diverged"] = divergence is not null;
        root["divergence"] = divergence;
        root["wall_seconds"] = Math.Round(wallSeconds, 2);
        root["metrics"] = metrics;
        root["generators"] = new JsonArray(generators.Select(g => (JsonNode)ResultsOutput.Matrix(g)).ToArray());
        root["extents"] = new JsonArray((last?.Extents ?? []).Select(e => ResultsOutput.Number(Math.Round(e, 6))).ToArray());
        root["ground_truth"] = gt is null ? null : ResultsOutput.Matrix(gt);
        root["config"] = new JsonObject(identity.Config.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        root["history"] = new JsonArray(history.Select(r => (JsonNode)new JsonObject
        {
            ["epoch"] = r.Epoch,
            ["phase"] = r.Phase,
            ["losses"] = Numbers(r.Losses),
            ["validation"] = Numbers(r.Validation),
            ["test"] = r.Test is null ? null : Numbers(r.Test),
            ["generator_cosine"] = ResultsOutput.Number(r.GeneratorCosine),
            ["subspace_similarity"] = ResultsOutput.Number(r.SubspaceSimilarity),
            ["extents"] = new JsonArray(r.Extents.Select(e => ResultsOutput.Number(Math.Round(e, 6))).ToArray()),
            ["seconds"] = Math.Round(r.Seconds, 2),
        }).ToArray());
        OutputFiles.WriteAtomic(Path.Combine(outDir, "results.json"), root.ToJsonString(Indented));

        var ic = CultureInfo.InvariantCulture;
        var lossKeys = history.SelectMany(r => r.Losses.Keys).Distinct().ToArray();
        var valKeys = history.SelectMany(r => r.Validation.Keys).Distinct().ToArray();
        var testKeys = history.SelectMany(r => r.Test?.Keys ?? []).Distinct().ToArray();
        var csv = new StringBuilder();
        csv.Append(string.Join(",", new[] { "epoch", "phase" }.Concat(lossKeys).Concat(valKeys.Select(k => "val_" + k)).Concat(testKeys.Select(k => "test_" + k))
            .Concat(["generator_cosine", "subspace_similarity", "extents", "seconds"]))).Append('\n');
        static string Cell(IReadOnlyDictionary<string, double>? d, string k) => d is not null && d.TryGetValue(k, out var v) && double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture) : string.Empty;
        foreach (var r in history)
        {
            var cells = new List<string> { r.Epoch.ToString(ic), r.Phase };
            cells.AddRange(lossKeys.Select(k => Cell(r.Losses, k)));
            cells.AddRange(valKeys.Select(k => Cell(r.Validation, k)));
            cells.AddRange(testKeys.Select(k => Cell(r.Test, k)));
            cells.Add(double.IsFinite(r.GeneratorCosine) ? r.GeneratorCosine.ToString("F5", ic) : string.Empty);
            cells.Add(double.IsFinite(r.SubspaceSimilarity) ? r.SubspaceSimilarity.ToString("F5", ic) : string.Empty);
            cells.Add(string.Join(";", r.Extents.Select(e => e.ToString("F4", ic))));
            cells.Add(r.Seconds.ToString("F2", ic));
            csv.Append(string.Join(",", cells)).Append('\n');
        }
        OutputFiles.WriteAtomic(Path.Combine(outDir, "epochs.csv"), csv.ToString());

        if (gt is not null)
        {
            ResultsOutput.WriteGeneratorFigure(Path.Combine(outDir, "generators.svg"), generators, gt);
        }
    }
}

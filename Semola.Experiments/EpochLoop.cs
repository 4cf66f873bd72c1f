using System.Diagnostics;
using System.Globalization;
using Semola.Core.Training;

namespace Semola.Experiments;

/// <summary>
/// The epoch loop every experiment verb shares: optional resume from the latest checkpoint, then per
/// epoch a progress line, a checkpoint and the result files; a diverged run stops with an error and
/// keeps its last good checkpoint.
/// </summary>
public static class EpochLoop
{
    /// <summary>Runs the remaining epochs of <paramref name="trainer"/>; returns the exit code.</summary>
    /// <param name="trainer">The trainer (its checkpoints go to OUT/checkpoints).</param>
    /// <param name="epochs">Total epochs of the run.</param>
    /// <param name="resume">Continue from the latest checkpoint in the output directory.</param>
    /// <param name="outDir">The output directory.</param>
    /// <param name="runEpoch">Trains and evaluates one more epoch.</param>
    /// <param name="describe">The progress line of an epoch.</param>
    /// <param name="writeResults">Writes the result files, given the wall-clock seconds so far.</param>
    /// <param name="output">Progress output.</param>
    /// <param name="error">Error output.</param>
    public static int Run<TRecord>(ICheckpointedTrainer<TRecord> trainer, int epochs, bool resume, string outDir,
        Func<TRecord> runEpoch, Func<TRecord, string> describe, Action<double> writeResults, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        ArgumentNullException.ThrowIfNull(runEpoch);
        ArgumentNullException.ThrowIfNull(describe);
        ArgumentNullException.ThrowIfNull(writeResults);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var ic = CultureInfo.InvariantCulture;
        string checkpoints = Path.Combine(outDir, "checkpoints");
        if (resume)
        {
            int done = TrainerCheckpoint.LoadLatest(checkpoints, trainer);
            output.WriteLine(done == 0 ? "resume: no checkpoint found, starting afresh" : string.Format(ic, "resume: continuing after epoch {0}", done));
        }
        var clock = Stopwatch.StartNew();
        try
        {
            while (trainer.History.Count < epochs)
            {
                var record = runEpoch();
                output.WriteLine(describe(record));
                TrainerCheckpoint.Save(checkpoints, trainer);
                writeResults(clock.Elapsed.TotalSeconds);
            }
        }
        catch (TrainingDivergedException ex)
        {
            error.WriteLine($"error: training diverged: {ex.Message} The last good checkpoint is in {checkpoints}.");
            return 1;
        }
        output.WriteLine(string.Format(ic, "results: {0}", Path.Combine(outDir, "results.json")));
        return 0;
    }
}

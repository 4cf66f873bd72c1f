namespace Semola.Experiments;

/// <summary>
/// Runs that differ only in their seed, as grouped by <see cref="ResultsReader.Groups"/>: one experiment, variant, generator
/// space, method, training fraction and value of every setting column.
/// </summary>
/// <param name="Experiment">Experiment.</param>
/// <param name="Variant">Variant (or empty).</param>
/// <param name="Space">Generator space (or empty).</param>
/// <param name="Method">Method.</param>
/// <param name="Fraction">Training fraction.</param>
/// <param name="Settings">The group's value of each setting column, in the columns' order (empty where a run did not record it).</param>
/// <param name="Runs">The runs, one per seed found.</param>
public sealed record ResultGroup(string Experiment, string Variant, string Space, string Method, double Fraction, IReadOnlyList<string> Settings, IReadOnlyList<RunResult> Runs)
{
    /// <summary>The seeds of the runs, in increasing order, separated by spaces.</summary>
    public string Seeds => string.Join(" ", Runs.Select(r => r.Seed).Order());

    /// <summary>The values of <paramref name="metric"/> over the runs that recorded it.</summary>
    public double[] Values(string metric) => Runs.Where(r => r.Metrics.ContainsKey(metric)).Select(r => r.Metrics[metric]).ToArray();
}

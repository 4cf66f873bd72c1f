namespace Semola.Experiments;

/// <summary>One run of a <c>compare</c> sweep: its place in the grid, its directory and the command line that runs it.</summary>
/// <param name="Index">0-based position in the sweep's fixed order (methods, then fractions, then sweep values, then seeds).</param>
/// <param name="Method">Training method.</param>
/// <param name="Fraction">Training fraction.</param>
/// <param name="Settings">The swept options' values of this run, name to value, in the order of the --sweep axes.</param>
/// <param name="Seed">Seed.</param>
/// <param name="Directory">The run's output directory.</param>
/// <param name="Arguments">The command line of the run (verb first).</param>
public sealed record CompareRun(int Index, string Method, double Fraction, IReadOnlyList<KeyValuePair<string, string>> Settings, int Seed, string Directory, IReadOnlyList<string> Arguments);

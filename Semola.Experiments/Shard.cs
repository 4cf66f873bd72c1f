using System.Globalization;

namespace Semola.Experiments;

/// <summary>
/// One part of a sweep, <c>--shard i/n</c> (1-based, such as a job array's task id over its task count): of the sweep's
/// runs, listed in a fixed order, it owns those whose 0-based index k has k mod n = i - 1, so the n shards together run
/// every run exactly once.
/// </summary>
/// <param name="Index">i, from 1 to <paramref name="Count"/>.</param>
/// <param name="Count">n, at least 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole sweep (1/1).</summary>
    public static Shard All => new(1, 1);

    /// <summary>Whether this shard is the whole sweep.</summary>
    public bool IsAll => Count == 1;

    /// <summary>Parses <c>i/n</c> strictly (digits only, 1 &lt;= i &lt;= n); any other text is an <see cref="ExperimentRunner.OptionException"/>.</summary>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length != 2 || !Whole(parts[0], out int i) || !Whole(parts[1], out int n))
        {
            throw new ExperimentRunner.OptionException($"--shard '{text}' is not of the form i/n with whole numbers (such as 2/5).");
        }
        if (n < 1 || i < 1 || i > n)
        {
            throw new ExperimentRunner.OptionException($"--shard '{text}': i must be between 1 and n (n at least 1), got i = {i}, n = {n}.");
        }
        return new Shard(i, n);
    }

    private static bool Whole(string s, out int value)
    {
        value = 0;
        return s.Length > 0 && s.All(char.IsAsciiDigit) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Whether the run at 0-based position <paramref name="runIndex"/> of the sweep is this shard's.</summary>
    public bool Owns(int runIndex) => runIndex % Count == Index - 1;

    /// <summary>This shard's runs of <paramref name="runs"/>, in order.</summary>
    public IReadOnlyList<T> Select<T>(IReadOnlyList<T> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var self = this;
        return runs.Where((_, k) => self.Owns(k)).ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}

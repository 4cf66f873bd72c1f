using Semola.Autodiff;

namespace Semola.Core.Training;

/// <summary>
/// Sums a step's loss terms on the device and reads them back only when asked (once per read interval), so a
/// step does not wait for the device to report every term. Sets of terms may change between steps (e.g. after a
/// warm-up); the pending sums are then read first.
/// </summary>
internal sealed class LossAccumulator
{
    private readonly Dictionary<string, double> _epochSums = [];
    private readonly Dictionary<string, int> _epochCounts = [];
    private string[] _keys = [];
    private Tensor? _pending;
    private int _pendingSteps;
    private Interval? _flushed;

    /// <summary>The means of one read interval.</summary>
    internal sealed record Interval(IReadOnlyDictionary<string, double> Means, int Steps);

    /// <summary>Adds one step's terms (scalar tensors) to the device-side sums; the sums outlive <paramref name="scope"/>.</summary>
    public void Add(IReadOnlyDictionary<string, Tensor> terms, TensorScope scope)
    {
        var keys = terms.Keys.ToArray();
        if (_pending is not null && !keys.SequenceEqual(_keys))
        {
            _flushed = Merge(_flushed, ReadPending());
        }
        _keys = keys;
        using (GradMode.NoGrad())
        {
            var packed = Tensor.Concat(terms.Values.Select(t => t.Detach().Reshape(1)).ToArray(), 0);
            var next = _pending is null ? packed : _pending.Add(packed);
            scope.Keep(next);
            var old = _pending;
            _pending = next;
            old?.Buffer.Dispose();
        }
        _pendingSteps++;
    }

    /// <summary>Reads the sums since the last read (one transfer) and returns their means.</summary>
    public Interval Read()
    {
        var interval = Merge(_flushed, ReadPending());
        _flushed = null;
        return interval ?? new Interval(new Dictionary<string, double>(), 0);
    }

    private Interval? ReadPending()
    {
        if (_pending is null)
        {
            return null;
        }
        var sums = _pending.ToArray();
        _pending.Buffer.Dispose();
        _pending = null;
        var means = new Dictionary<string, double>();
        for (int i = 0; i < _keys.Length; i++)
        {
            means[_keys[i]] = sums[i] / (double)_pendingSteps;
            _epochSums[_keys[i]] = _epochSums.GetValueOrDefault(_keys[i]) + sums[i];
            _epochCounts[_keys[i]] = _epochCounts.GetValueOrDefault(_keys[i]) + _pendingSteps;
        }
        var result = new Interval(means, _pendingSteps);
        _pendingSteps = 0;
        return result;
    }

    private static Interval? Merge(Interval? a, Interval? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }
        var means = new Dictionary<string, double>(b.Means);
        foreach (var (k, v) in a.Means)
        {
            means[k] = b.Means.TryGetValue(k, out var w) ? (v * a.Steps + w * b.Steps) / (a.Steps + b.Steps) : v;
        }
        return new Interval(means, a.Steps + b.Steps);
    }

    /// <summary>Mean of each term over the steps of the epoch that produced it (read everything first).</summary>
    public Dictionary<string, double> EpochMeans() => _epochSums.ToDictionary(kv => kv.Key, kv => kv.Value / _epochCounts[kv.Key]);
}

using Semola.Autodiff;

namespace Semola.Core.Method;

/// <summary>One minibatch: inputs and either class labels or regression targets.</summary>
/// <param name="X">Inputs [B, ...].</param>
/// <param name="Labels">Class labels (classification).</param>
/// <param name="Y">Targets [B, ...] (regression).</param>
public sealed record Batch(Tensor X, int[]? Labels = null, Tensor? Y = null)
{
    /// <summary>Number of samples.</summary>
    public int Size => X.Shape[0];

    /// <summary>The batch repeated <paramref name="copies"/> times along the sample axis (this batch itself for one copy).</summary>
    public Batch Repeat(int copies)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(copies, 1);
        if (copies == 1)
        {
            return this;
        }
        var labels = Labels is null ? null : Enumerable.Repeat(Labels, copies).SelectMany(l => l).ToArray();
        var y = Y is null ? null : Tensor.Concat(Enumerable.Repeat(Y, copies).ToArray(), 0);
        return new Batch(Tensor.Concat(Enumerable.Repeat(X, copies).ToArray(), 0), labels, y);
    }
}

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
}

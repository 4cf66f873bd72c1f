using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>
/// Acts on states by matrix multiplication: x [B, F] with F = T * n is read as T vectors of length n
/// (e.g. time steps of an N-body state) and each becomes g x_t. Also accepts x [B, T, n].
/// </summary>
public sealed class VectorAction : IGroupAction
{
    /// <inheritdoc />
    public string Name => "vector";

    /// <inheritdoc />
    public Tensor Apply(Tensor g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(x);
        if (g.Rank != 3 || g.Shape[1] != g.Shape[2])
        {
            throw new ArgumentException($"VectorAction: group elements must be [B, n, n], got {g.ShapeString}.");
        }
        int n = g.Shape[1];
        int b = x.Shape[0];
        int features = x.Numel / Math.Max(b, 1);
        if (g.Shape[0] != b || features % n != 0)
        {
            throw new ArgumentException($"VectorAction: data {x.ShapeString} is not a batch of {g.Shape[0]} samples made of vectors of length {n}.");
        }
        var steps = x.Reshape(b, features / n, n);
        return steps.MatMul(g.Transpose(1, 2)).Reshape(x.Shape.ToArray());
    }
}

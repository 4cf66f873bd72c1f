using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>
/// Acts on point sets x [B, N, D] whose first three features are 3D positions, through 4x4
/// homogeneous matrices g: [p'; 1] = g [p; 1] for every point; the other features are unchanged.
/// </summary>
public sealed class PointSetAction : IGroupAction
{
    /// <inheritdoc />
    public string Name => "point-set";

    /// <inheritdoc />
    public Tensor Apply(Tensor g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(x);
        if (g.Rank != 3 || g.Shape[1] != 4 || g.Shape[2] != 4)
        {
            throw new ArgumentException($"PointSetAction: group elements must be [B, 4, 4], got {g.ShapeString}.");
        }
        if (x.Rank != 3 || x.Shape[2] < 3 || x.Shape[0] != g.Shape[0])
        {
            throw new ArgumentException($"PointSetAction: points must be [{g.Shape[0]}, N, D >= 3], got {x.ShapeString}.");
        }
        var rotation = g.Narrow(1, 0, 3).Narrow(2, 0, 3);           // [B, 3, 3]
        var translation = g.Narrow(1, 0, 3).Narrow(2, 3, 1).Transpose(1, 2); // [B, 1, 3]
        var positions = x.Narrow(2, 0, 3).MatMul(rotation.Transpose(1, 2)).Add(translation);
        int d = x.Shape[2];
        return d == 3 ? positions : Tensor.Concat([positions, x.Narrow(2, 3, d - 3)], 2);
    }
}

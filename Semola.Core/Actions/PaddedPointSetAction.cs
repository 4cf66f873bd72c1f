using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>
/// <see cref="PointSetAction"/> on zero-padded point sets [B, N, D] whose last feature is a 0/1 mask: real points
/// move ([p'; 1] = g [p; 1]), padding stays at the origin, features are unchanged. A padded slot that moved with a
/// translation would betray the transformation to a discriminator.
/// </summary>
public sealed class PaddedPointSetAction : IGroupAction
{
    private static readonly PointSetAction Inner = new();

    /// <inheritdoc />
    public string Name => "padded-point-set";

    /// <inheritdoc />
    public Tensor Apply(Tensor g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3 || x.Shape[2] < 4)
        {
            throw new ArgumentException($"PaddedPointSetAction: points must be [B, N, D >= 4] with the mask last, got {x.ShapeString}.");
        }
        int d = x.Shape[2];
        var mask = x.Narrow(2, d - 1, 1);
        var moved = Inner.Apply(g, x.Narrow(2, 0, 3)).Mul(mask);
        return Tensor.Concat([moved, x.Narrow(2, 3, d - 3)], 2);
    }
}

using Semola.Autodiff;
using Semola.Autodiff.Nn;

namespace Semola.Core.Models;

/// <summary>
/// A permutation-invariant network on padded point sets [B, N, D] (coordinates and features, mask last): a per-point MLP
/// on everything but the mask, the masked sum over points, then an MLP head. It sees raw coordinates, so it is
/// deliberately not rotation- or translation-invariant.
/// </summary>
public sealed class PointSetNet : Module
{
    private readonly Mlp _point;
    private readonly Mlp _head;

    /// <summary>Creates the network for points of <paramref name="features"/> values (mask included).</summary>
    public PointSetNet(int features, int hidden, int outputs, Random rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(hidden, 1);
        Features = features;
        _point = RegisterModule("point", new Mlp([features - 1, hidden, hidden], rng));
        _head = RegisterModule("head", new Mlp([hidden, hidden, outputs], rng));
    }

    /// <summary>Values per point, the mask included.</summary>
    public int Features { get; }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 3 || input.Shape[2] != Features)
        {
            throw new ArgumentException($"PointSetNet: input must be [B, N, {Features}], got {input.ShapeString}.");
        }
        int b = input.Shape[0], n = input.Shape[1];
        var mask = input.Narrow(2, Features - 1, 1);
        var h = _point.Forward(input.Narrow(2, 0, Features - 1).Contiguous().Reshape(b * n, Features - 1)).Relu();
        var pooled = h.Reshape(b, n, -1).Mul(mask).Sum(1);
        return _head.Forward(pooled);
    }
}

namespace Semola.Autodiff.Nn;

/// <summary>
/// Shared index arithmetic of the p4 layers (the group of translations and rotations by multiples of
/// 90 degrees). Feature maps on p4 are stored as [N, C * 4, H, W] with channel c * 4 + r holding
/// rotation r (r * 90 degrees counter-clockwise as displayed, rows pointing down).
/// </summary>
public static class P4
{
    /// <summary>Number of rotations in the group.</summary>
    public const int Order = 4;

    /// <summary>
    /// Source pixel of each pixel of a k x k filter rotated by <paramref name="r"/> quarter turns
    /// counter-clockwise: rotated[p] = original[result[p]], p = y * k + x. One quarter turn maps
    /// out[y, x] = in[x, k - 1 - y].
    /// </summary>
    public static int[] RotationSource(int k, int r)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var source = Enumerable.Range(0, k * k).ToArray();
        for (int t = 0; t < ((r % Order) + Order) % Order; t++)
        {
            var next = new int[k * k];
            for (int y = 0; y < k; y++)
            {
                for (int x = 0; x < k; x++)
                {
                    next[(y * k) + x] = source[(x * k) + (k - 1 - y)];
                }
            }

            source = next;
        }

        return source;
    }

    /// <summary>
    /// Rotates square NCHW images (or filters) by <paramref name="r"/> quarter turns counter-clockwise as
    /// <see cref="RotationSource"/> defines them (a differentiable gather).
    /// </summary>
    public static Tensor Rotate(Tensor x, int r)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4 || x.Shape[2] != x.Shape[3])
        {
            throw new ArgumentException($"P4.Rotate: expected square [N, C, H, H] input, found {x.ShapeString}.");
        }

        int n = x.Shape[0], c = x.Shape[1], h = x.Shape[2];
        return x.Reshape(n, c, h * h).IndexSelect(2, RotationSource(h, r)).Reshape(n, c, h, h);
    }
}

using Semola.Autodiff;

namespace Semola.Core.Actions;

/// <summary>
/// Acts on images [B, C, H, W] through 3x3 homogeneous matrices g: the top 2x3 block is an affine map
/// of normalised pixel coordinates in [-1, 1] (x to the right, y downwards, pixel centres at the ends,
/// align_corners = true), and (g . x)(p) = x(g p): each output pixel samples the input bilinearly at g p,
/// with zero padding. This is the pull-back, so g1 . (g2 . x) = (g2 g1) . x; for the symmetric
/// distributions the augmenter samples, pull-back and push-forward give the same augmented data.
/// </summary>
public sealed class ImageAffineAction : IGroupAction
{
    /// <inheritdoc />
    public string Name => "image-affine";

    /// <inheritdoc />
    public Tensor Apply(Tensor g, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(x);
        if (g.Rank != 3 || g.Shape[1] != 3 || g.Shape[2] != 3)
        {
            throw new ArgumentException($"ImageAffineAction: group elements must be [B, 3, 3], got {g.ShapeString}.");
        }
        return x.AffineGridSample(g.Narrow(1, 0, 2));
    }
}

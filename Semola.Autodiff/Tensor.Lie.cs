namespace Semola.Autodiff;

public sealed partial class Tensor
{
    /// <summary>
    /// The matrix exponential of each n x n matrix in the last two dimensions ([..., n, n]); the
    /// backward pass uses the exact Frechet derivative.
    /// </summary>
    public Tensor MatrixExp()
    {
        const string op = nameof(MatrixExp);
        if (Rank < 2 || _shape[^1] != _shape[^2])
        {
            throw new ArgumentException($"{op}: expected square matrices [..., n, n], got {ShapeString}.");
        }
        int n = _shape[^1];
        int batch = n == 0 ? 0 : Numel / (n * n);
        var a = ContiguousRaw();
        var y = Empty(_shape, Device);
        Backend.MatrixExp(a.Buffer, batch, n, y.Buffer);
        return Record(op, y, [this], g =>
        {
            var dx = Empty(_shape, Device);
            Backend.MatrixExpBackward(a.Buffer, g.ContiguousRaw().Buffer, batch, n, dx.Buffer);
            return [dx];
        });
    }

    /// <summary>
    /// Resamples images [B, C, H, W] through per-sample affine maps <paramref name="theta"/> [B, 2, 3]
    /// that take output coordinates (normalised to [-1, 1], pixel centres at the ends) to input
    /// coordinates; bilinear interpolation with zero padding. Differentiable w.r.t. both inputs.
    /// </summary>
    public Tensor AffineGridSample(Tensor theta)
    {
        const string op = nameof(AffineGridSample);
        CheckSameDevice(op, this, theta);
        if (Rank != 4)
        {
            throw new ArgumentException($"{op}: images must be [B, C, H, W], got {ShapeString}.");
        }
        if (theta.Rank != 3 || theta._shape[0] != _shape[0] || theta._shape[1] != 2 || theta._shape[2] != 3)
        {
            throw new ArgumentException($"{op}: theta {theta.ShapeString} must be [{_shape[0]}, 2, 3] for images {ShapeString}.");
        }
        int b = _shape[0], c = _shape[1], h = _shape[2], w = _shape[3];
        var x = ContiguousRaw();
        var t = theta.ContiguousRaw();
        var y = Empty(_shape, Device);
        Backend.AffineGridSample(x.Buffer, t.Buffer, b, c, h, w, y.Buffer);
        var self = this;
        return Record(op, y, [this, theta], g =>
        {
            var dx = self._requiresGrad ? Empty(self._shape, self.Device) : null;
            var dt = theta._requiresGrad ? Empty(theta._shape, self.Device) : null;
            self.Backend.AffineGridSampleBackward(x.Buffer, t.Buffer, g.ContiguousRaw().Buffer, b, c, h, w, dx?.Buffer, dt?.Buffer);
            return [dx, dt];
        });
    }
}

using Semola.Kernels;

namespace Semola.Autodiff.Optim;

/// <summary>Gradient clipping.</summary>
public static class GradClip
{
    /// <summary>
    /// The L2 norm over all gradients of <paramref name="parameters"/> (all gradients when null),
    /// accumulated in double. When it exceeds <paramref name="maxNorm"/>, each gradient is replaced by
    /// a copy scaled by maxNorm / (norm + 1e-6). Returns the norm before clipping.
    /// </summary>
    public static float ClipGradNorm(Gradients gradients, float maxNorm, IEnumerable<Tensor>? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "ClipGradNorm: the maximum norm must be positive.");
        }
        var targets = (parameters ?? gradients.Entries.Select(e => e.Key)).Where(gradients.Contains).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToArray();
        double sum = 0;
        using (GradMode.NoGrad())
        {
            foreach (var p in targets)
            {
                var g = gradients[p];
                var c = g.IsContiguous ? g : g.Contiguous();
                sum += c.Device.Backend.SumOfSquares(c.Buffer, c.Offset, c.Numel);
                if (!ReferenceEquals(c, g))
                {
                    c.Buffer.Dispose();
                }
            }
            double norm = Math.Sqrt(sum);
            if (norm > maxNorm)
            {
                float scale = (float)(maxNorm / (norm + 1e-6));
                foreach (var p in targets)
                {
                    gradients.Set(p, gradients[p].Mul(scale));
                }
            }
            return (float)norm;
        }
    }
}

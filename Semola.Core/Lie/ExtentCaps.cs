using MathNet.Numerics.LinearAlgebra;

namespace Semola.Core.Lie;

/// <summary>
/// Data-free and data-derived magnitudes for a learned direction L (never derived from a true generator): the
/// spectral cap pi / ||L||_2, the half-period pi / omega_max of a compact direction (purely imaginary eigenvalues),
/// and the magnitude t at which exp(t L) moves a batch of inputs by a given median relative displacement. The
/// hybrid rule (half-period for compact directions, displacement 0.5 for the rest) is the extent cap that keeps
/// non-compact directions such as Lorentz boosts on the data (docs/discover.md).
/// </summary>
public static class ExtentCaps
{
    /// <summary>Median relative displacement at which the hybrid rule caps a non-compact direction.</summary>
    public const double HybridDisplacement = 0.5;

    /// <summary>Largest magnitude any search is allowed to return.</summary>
    public const double MaxMagnitude = 1e3;

    /// <summary>Matrix exponential exp(m) in double precision (scaling and squaring with a degree-18 Taylor sum; for small matrices).</summary>
    public static Matrix<double> Exp(Matrix<double> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double norm = m.L1Norm();
        int squarings = norm > 0.5 ? (int)Math.Ceiling(Math.Log2(norm / 0.5)) : 0;
        var a = m / Math.Pow(2, squarings);
        var result = Matrix<double>.Build.DenseIdentity(m.RowCount);
        var term = Matrix<double>.Build.DenseIdentity(m.RowCount);
        for (int k = 1; k <= 18; k++)
        {
            term = term * a / k;
            result += term;
        }
        for (int s = 0; s < squarings; s++)
        {
            result *= result;
        }
        return result;
    }

    /// <summary>
    /// Whether <paramref name="direction"/> is compact (every eigenvalue purely imaginary, not all zero, and no
    /// growth of exp(t L) over a period) and, if so, its half-period pi / omega_max; otherwise null.
    /// </summary>
    public static double? HalfPeriod(double[,] direction)
    {
        ArgumentNullException.ThrowIfNull(direction);
        var m = Matrix<double>.Build.DenseOfArray(direction);
        var eig = m.Evd().EigenValues;
        double omega = eig.Max(e => Math.Abs(e.Imaginary));
        double real = eig.Max(e => Math.Abs(e.Real));
        double size = eig.Max(e => e.Magnitude);
        if (!(size > 1e-9) || real > 1e-6 * size || omega < 1e-9)
        {
            return null;
        }
        double half = Math.PI / omega;
        // A nilpotent part (a rotation with a translation, say) grows without bound: not compact.
        var full = Exp(m * (2 * half));
        double drift = (full - Matrix<double>.Build.DenseIdentity(m.RowCount)).FrobeniusNorm();
        return drift < 1e-6 * Math.Max(1.0, m.FrobeniusNorm() * half) ? half : null;
    }

    /// <summary>
    /// Median over samples of ||exp(t L) . x - x|| / ||x||, where each sample of <paramref name="samples"/> (row after row,
    /// <paramref name="sampleSize"/> values) is read as consecutive blocks of n = L's order and every block is transformed.
    /// Samples with zero norm are skipped.
    /// </summary>
    public static double MedianDisplacement(double[,] direction, double t, ReadOnlySpan<float> samples, int sampleSize)
    {
        ArgumentNullException.ThrowIfNull(direction);
        int n = direction.GetLength(0);
        if (sampleSize < 1 || sampleSize % n != 0 || samples.Length % sampleSize != 0)
        {
            throw new ArgumentException($"Displacement: samples of {sampleSize} values are not blocks of {n}, or {samples.Length} values are not whole samples.");
        }
        var g = Exp(Matrix<double>.Build.DenseOfArray(direction) * t).ToArray();
        int count = samples.Length / sampleSize;
        var rel = new List<double>(count);
        var moved = new double[n];
        for (int s = 0; s < count; s++)
        {
            var x = samples.Slice(s * sampleSize, sampleSize);
            double dd = 0, xx = 0;
            for (int b = 0; b < sampleSize; b += n)
            {
                for (int i = 0; i < n; i++)
                {
                    double v = 0;
                    for (int j = 0; j < n; j++)
                    {
                        v += g[i, j] * x[b + j];
                    }
                    moved[i] = v;
                }
                for (int i = 0; i < n; i++)
                {
                    double d = moved[i] - x[b + i];
                    dd += d * d;
                    xx += (double)x[b + i] * x[b + i];
                }
            }
            if (xx > 0)
            {
                rel.Add(Math.Sqrt(dd / xx));
            }
        }
        if (rel.Count == 0)
        {
            return 0;
        }
        rel.Sort();
        return rel.Count % 2 == 1 ? rel[rel.Count / 2] : 0.5 * (rel[rel.Count / 2 - 1] + rel[rel.Count / 2]);
    }

    /// <summary>
    /// The smallest magnitude t &gt; 0 at which <see cref="MedianDisplacement"/> reaches <paramref name="target"/>
    /// (bisection), searched up to <paramref name="limit"/>; <paramref name="limit"/> itself when the target is not reached.
    /// </summary>
    public static double DisplacementMagnitude(double[,] direction, double target, ReadOnlySpan<float> samples, int sampleSize, double limit = MaxMagnitude)
    {
        if (!(target > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(target), target, "The displacement must be positive.");
        }
        double lo = 0, hi = Math.Min(limit, 1e-3);
        while (MedianDisplacement(direction, hi, samples, sampleSize) < target)
        {
            lo = hi;
            if (hi >= limit)
            {
                return limit;
            }
            hi = Math.Min(limit, hi * 2);
        }
        for (int it = 0; it < 50 && hi - lo > 1e-6 * hi; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (MedianDisplacement(direction, mid, samples, sampleSize) < target)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }
        return hi;
    }

    /// <summary>
    /// The hybrid cap of one direction: its half-period where it is compact, else the magnitude at which the batch's median
    /// relative displacement reaches <see cref="HybridDisplacement"/>.
    /// </summary>
    public static double Hybrid(double[,] direction, ReadOnlySpan<float> samples, int sampleSize) =>
        HalfPeriod(direction) ?? DisplacementMagnitude(direction, HybridDisplacement, samples, sampleSize);
}

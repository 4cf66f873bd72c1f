using MathNet.Numerics.LinearAlgebra;

namespace Semola.Core.Lie;

/// <summary>
/// Similarity measures between learned and ground-truth Lie algebra bases, and a closure test, in double
/// precision. Matrices are compared as vectors in R^{n x n} with the Frobenius inner product.
/// </summary>
public static class LieAlgebraMetrics
{
    /// <summary>Relative tolerance below which a vector is treated as linearly dependent on earlier ones.</summary>
    public const double RankTolerance = 1e-10;

    /// <summary>Frobenius inner product sum_ij a_ij b_ij.</summary>
    public static double FrobeniusInner(double[,] a, double[,] b)
    {
        CheckSameShape(a, b);
        double s = 0;
        int r = a.GetLength(0), c = a.GetLength(1);
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < c; j++)
            {
                s += a[i, j] * b[i, j];
            }
        }

        return s;
    }

    /// <summary>Frobenius norm.</summary>
    public static double FrobeniusNorm(double[,] a) => Math.Sqrt(FrobeniusInner(a, a));

    /// <summary>Matrix commutator (Lie bracket) [a, b] = a b - b a of two square matrices.</summary>
    public static double[,] Commutator(double[,] a, double[,] b)
    {
        CheckSameShape(a, b);
        int n = a.GetLength(0);
        if (a.GetLength(1) != n)
        {
            throw new ArgumentException("The bracket needs square matrices.", nameof(a));
        }

        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                double aik = a[i, k], bik = b[i, k];
                for (int j = 0; j < n; j++)
                {
                    c[i, j] += aik * b[k, j] - bik * a[k, j];
                }
            }
        }

        return c;
    }

    /// <summary>
    /// Sign-invariant cosine |&lt;a, b&gt;_F| / (||a||_F ||b||_F) in [0, 1]; 0 if either matrix is zero.
    /// </summary>
    public static double GeneratorCosine(double[,] a, double[,] b)
    {
        double na = FrobeniusNorm(a), nb = FrobeniusNorm(b);
        if (na == 0 || nb == 0)
        {
            return 0;
        }

        return Math.Min(1.0, Math.Abs(FrobeniusInner(a, b)) / (na * nb));
    }

    /// <summary>Largest <see cref="GeneratorCosine"/> between any learned generator and one ground-truth generator.</summary>
    public static double BestMatchCosine(IReadOnlyList<double[,]> learned, double[,] truth)
    {
        ArgumentNullException.ThrowIfNull(learned);
        double best = 0;
        foreach (double[,] l in learned)
        {
            best = Math.Max(best, GeneratorCosine(l, truth));
        }

        return best;
    }

    /// <summary>
    /// Cosines of the principal angles between span(learned) and span(truth), in descending order. Their count
    /// is min(r1, r2), the numerical ranks of the two sets (generators that are linearly dependent on earlier
    /// ones, relative to <see cref="RankTolerance"/>, do not add a dimension).
    /// </summary>
    public static double[] PrincipalCosines(IReadOnlyList<double[,]> learned, IReadOnlyList<double[,]> truth)
    {
        double[][] q1 = Orthonormalize(learned);
        double[][] q2 = Orthonormalize(truth);
        if (q1.Length == 0 || q2.Length == 0)
        {
            return [];
        }

        // M = Q1^T Q2; its singular values (MathNet's SVD) are the cosines of the principal angles.
        var svd = Matrix<double>.Build.DenseOfArray(CrossGram(q1, q2)).Svd(computeVectors: false);
        var cos = svd.S.Select(x => Math.Clamp(x, 0.0, 1.0)).ToArray();
        Array.Sort(cos);
        Array.Reverse(cos);
        return cos;
    }

    /// <summary>
    /// Subspace similarity: the sum of the squared cosines of the principal angles between span(learned) and
    /// span(truth) over the larger of the two ranks, ||Q1^T Q2||_F^2 / max(r1, r2) for orthonormal bases Q1, Q2
    /// (r = numerical rank), so extra generators cannot inflate it (the method page's rule). It is 1 only when the
    /// spans agree, r/max(r1, r2) when one of rank r lies inside the other, 0 when they are orthogonal or either
    /// set spans nothing.
    /// </summary>
    public static double SubspaceSimilarity(IReadOnlyList<double[,]> learned, IReadOnlyList<double[,]> truth)
    {
        double[][] q1 = Orthonormalize(learned);
        double[][] q2 = Orthonormalize(truth);
        if (q1.Length == 0 || q2.Length == 0)
        {
            return 0;
        }

        double[,] m = CrossGram(q1, q2);
        double s = 0;
        foreach (double x in m)
        {
            s += x * x;
        }

        return Math.Clamp(s / Math.Max(q1.Length, q2.Length), 0.0, 1.0);
    }

    /// <summary>
    /// Spread of a basis: the smallest eigenvalue of the Gram matrix of the unit-normalised generators,
    /// G_ij = cos(L_i, L_j) in the Frobenius inner product. It is 1 for mutually orthogonal directions and falls
    /// to 0 as one direction approaches a combination of the others (a zero generator also gives 0), which
    /// <see cref="SubspaceSimilarity"/> cannot show: the numerical rank counts the small difference between
    /// two near copies as a whole direction. NaN for an empty basis.
    /// </summary>
    public static double BasisSpread(IReadOnlyList<double[,]> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        int k = basis.Count;
        if (k == 0)
        {
            return double.NaN;
        }

        var norms = basis.Select(FrobeniusNorm).ToArray();
        if (norms.Any(x => x == 0))
        {
            return 0;
        }

        var gram = Matrix<double>.Build.Dense(k, k, (i, j) => FrobeniusInner(basis[i], basis[j]) / (norms[i] * norms[j]));
        double smallest = gram.Evd(Symmetricity.Symmetric).EigenValues.Min(e => e.Real);
        return Math.Clamp(smallest, 0.0, 1.0);
    }

    /// <summary>
    /// Bracket closure residual of a basis: for every pair i &lt; j the bracket C_ij = [L_i, L_j] is projected
    /// orthogonally onto span(basis); the result is sqrt(sum ||C_ij - P C_ij||^2 / sum ||C_ij||^2), a relative
    /// residual in [0, 1]. 0 means the span is closed under the bracket (a Lie subalgebra); an abelian basis
    /// (all brackets zero) also gives 0.
    /// </summary>
    public static double BracketClosure(IReadOnlyList<double[,]> basis)
    {
        double num = 0, den = 0;
        foreach (var pair in BracketResiduals(basis))
        {
            num += pair.Residual * pair.Residual;
            den += pair.BracketNorm * pair.BracketNorm;
        }

        return den == 0 ? 0 : Math.Sqrt(Math.Clamp(num / den, 0.0, 1.0));
    }

    /// <summary>One bracket [L_i, L_j] and what is left of it after its least-squares projection onto span(basis).</summary>
    /// <param name="I">First index.</param>
    /// <param name="J">Second index (greater than <paramref name="I"/>).</param>
    /// <param name="BracketNorm">||[L_i, L_j]||_F.</param>
    /// <param name="Residual">||[L_i, L_j] - P [L_i, L_j]||_F, P the orthogonal projection onto the span.</param>
    public sealed record BracketPair(int I, int J, double BracketNorm, double Residual)
    {
        /// <summary>Residual over the bracket's norm (0 for a zero bracket).</summary>
        public double Relative => BracketNorm == 0 ? 0 : Residual / BracketNorm;
    }

    /// <summary>
    /// For every pair i &lt; j, the least-squares projection of [L_i, L_j] onto span(basis) (onto the orthonormal basis
    /// that MathNet's SVD gives, see <see cref="Orthonormalize"/>) and its residual.
    /// </summary>
    public static IReadOnlyList<BracketPair> BracketResiduals(IReadOnlyList<double[,]> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        double[][] q = Orthonormalize(basis);
        var pairs = new List<BracketPair>();
        for (int i = 0; i < basis.Count; i++)
        {
            for (int j = i + 1; j < basis.Count; j++)
            {
                double[] c = Flatten(Commutator(basis[i], basis[j]));
                double cc = Math.Sqrt(Dot(c, c));
                foreach (double[] e in q)
                {
                    double p = Dot(e, c);
                    for (int t = 0; t < c.Length; t++)
                    {
                        c[t] -= p * e[t];
                    }
                }

                pairs.Add(new BracketPair(i, j, cc, Math.Sqrt(Dot(c, c))));
            }
        }

        return pairs;
    }

    /// <summary>
    /// Orthonormal basis (flattened, row-major) of the span of the given matrices: the left singular vectors (MathNet's
    /// SVD) of the matrix whose columns are the normalised inputs, keeping those whose singular value exceeds
    /// <see cref="RankTolerance"/> times the largest. Zero and non-finite matrices are ignored.
    /// </summary>
    public static double[][] Orthonormalize(IReadOnlyList<double[,]> matrices)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        var columns = new List<double[]>();
        int length = -1;
        foreach (double[,] m in matrices)
        {
            double[] v = Flatten(m);
            if (length >= 0 && v.Length != length)
            {
                throw new ArgumentException("All matrices must have the same shape.", nameof(matrices));
            }

            length = v.Length;
            double norm = Math.Sqrt(Dot(v, v));
            if (norm == 0 || !double.IsFinite(norm))
            {
                continue;
            }

            columns.Add(v.Select(x => x / norm).ToArray());
        }

        if (columns.Count == 0)
        {
            return [];
        }

        var a = Matrix<double>.Build.Dense(length, columns.Count, (r, c) => columns[c][r]);
        var svd = a.Svd(computeVectors: true);
        double top = svd.S[0];
        var result = new List<double[]>();
        for (int k = 0; k < svd.S.Count && k < length; k++)
        {
            if (svd.S[k] > RankTolerance * Math.Max(top, 1.0))
            {
                result.Add(svd.U.Column(k).ToArray());
            }
        }

        return [.. result];
    }

    private static double[,] CrossGram(double[][] q1, double[][] q2)
    {
        if (q1[0].Length != q2[0].Length)
        {
            throw new ArgumentException("Learned and ground-truth matrices must have the same shape.");
        }

        var m = new double[q1.Length, q2.Length];
        for (int i = 0; i < q1.Length; i++)
        {
            for (int j = 0; j < q2.Length; j++)
            {
                m[i, j] = Dot(q1[i], q2[j]);
            }
        }

        return m;
    }

    private static double[] Flatten(double[,] m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var v = new double[m.Length];
        int t = 0;
        foreach (double x in m)
        {
            v[t++] = x;
        }

        return v;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }

        return s;
    }

    private static void CheckSameShape(double[,] a, double[,] b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.GetLength(0) != b.GetLength(0) || a.GetLength(1) != b.GetLength(1))
        {
            throw new ArgumentException("Matrices must have the same shape.");
        }
    }
}

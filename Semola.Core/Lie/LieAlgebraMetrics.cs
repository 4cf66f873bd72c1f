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

        // M = Q1^T Q2; its singular values are the cosines. Use the smaller Gram matrix M M^T or M^T M.
        double[,] m = CrossGram(q1, q2);
        int r1 = q1.Length, r2 = q2.Length;
        int k = Math.Min(r1, r2);
        var g = new double[k, k];
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                double s = 0;
                if (r1 <= r2)
                {
                    for (int t = 0; t < r2; t++)
                    {
                        s += m[i, t] * m[j, t];
                    }
                }
                else
                {
                    for (int t = 0; t < r1; t++)
                    {
                        s += m[t, i] * m[t, j];
                    }
                }

                g[i, j] = s;
            }
        }

        double[] eig = SymmetricEigenvalues(g);
        var cos = new double[k];
        for (int i = 0; i < k; i++)
        {
            cos[i] = Math.Sqrt(Math.Clamp(eig[i], 0.0, 1.0));
        }

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
    /// Bracket closure residual of a basis: for every pair i &lt; j the bracket C_ij = [L_i, L_j] is projected
    /// orthogonally onto span(basis); the result is sqrt(sum ||C_ij - P C_ij||^2 / sum ||C_ij||^2), a relative
    /// residual in [0, 1]. 0 means the span is closed under the bracket (a Lie subalgebra); an abelian basis
    /// (all brackets zero) also gives 0.
    /// </summary>
    public static double BracketClosure(IReadOnlyList<double[,]> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        double[][] q = Orthonormalize(basis);
        double num = 0, den = 0;
        for (int i = 0; i < basis.Count; i++)
        {
            for (int j = i + 1; j < basis.Count; j++)
            {
                double[] c = Flatten(Commutator(basis[i], basis[j]));
                double cc = Dot(c, c);
                den += cc;
                foreach (double[] e in q)
                {
                    double p = Dot(e, c);
                    for (int t = 0; t < c.Length; t++)
                    {
                        c[t] -= p * e[t];
                    }
                }

                num += Dot(c, c);
            }
        }

        if (den == 0)
        {
            return 0;
        }

        return Math.Sqrt(Math.Clamp(num / den, 0.0, 1.0));
    }

    /// <summary>
    /// Orthonormal basis (flattened, row-major) of the span of the given matrices, by modified Gram-Schmidt
    /// with re-orthogonalisation; dependent inputs are dropped.
    /// </summary>
    public static double[][] Orthonormalize(IReadOnlyList<double[,]> matrices)
    {
        ArgumentNullException.ThrowIfNull(matrices);
        var result = new List<double[]>();
        int length = -1;
        foreach (double[,] m in matrices)
        {
            double[] v = Flatten(m);
            if (length >= 0 && v.Length != length)
            {
                throw new ArgumentException("All matrices must have the same shape.", nameof(matrices));
            }

            length = v.Length;
            double norm0 = Math.Sqrt(Dot(v, v));
            if (norm0 == 0 || !double.IsFinite(norm0))
            {
                continue;
            }

            for (int pass = 0; pass < 2; pass++)
            {
                foreach (double[] e in result)
                {
                    double p = Dot(e, v);
                    for (int t = 0; t < v.Length; t++)
                    {
                        v[t] -= p * e[t];
                    }
                }
            }

            double norm = Math.Sqrt(Dot(v, v));
            if (norm <= RankTolerance * norm0)
            {
                continue;
            }

            for (int t = 0; t < v.Length; t++)
            {
                v[t] /= norm;
            }

            result.Add(v);
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

    /// <summary>Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations.</summary>
    private static double[] SymmetricEigenvalues(double[,] input)
    {
        int n = input.GetLength(0);
        var a = (double[,])input.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++)
            {
                diag += a[i, i] * a[i, i];
                for (int j = i + 1; j < n; j++)
                {
                    off += a[i, j] * a[i, j];
                }
            }

            if (off <= 1e-30 * Math.Max(diag, 1e-300))
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int r = p + 1; r < n; r++)
                {
                    double apr = a[p, r];
                    if (apr == 0)
                    {
                        continue;
                    }

                    double theta = (a[r, r] - a[p, p]) / (2 * apr);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                    {
                        t = 1;
                    }

                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k, p], akr = a[k, r];
                        a[k, p] = c * akp - s * akr;
                        a[k, r] = s * akp + c * akr;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p, k], ark = a[r, k];
                        a[p, k] = c * apk - s * ark;
                        a[r, k] = s * apk + c * ark;
                    }
                }
            }
        }

        var eig = new double[n];
        for (int i = 0; i < n; i++)
        {
            eig[i] = a[i, i];
        }

        return eig;
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

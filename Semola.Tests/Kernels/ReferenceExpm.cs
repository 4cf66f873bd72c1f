namespace Semola.Tests.Kernels;

/// <summary>Slow double-precision matrix exponential for tests: Taylor series with scaling and squaring.</summary>
internal static class ReferenceExpm
{
    /// <summary>exp of a row-major n x n matrix.</summary>
    public static double[] Expm(double[] a, int n)
    {
        double norm = 0;
        foreach (double x in a)
        {
            norm = Math.Max(norm, Math.Abs(x));
        }

        norm *= n;
        int s = norm > 0.125 ? (int)Math.Ceiling(Math.Log2(norm / 0.125)) : 0;
        double scale = Math.ScaleB(1.0, -s);
        var x1 = new double[n * n];
        for (int i = 0; i < x1.Length; i++)
        {
            x1[i] = a[i] * scale;
        }

        // Taylor to 30 terms: error far below double rounding for norm <= 1/8.
        var result = Identity(n);
        var term = Identity(n);
        for (int k = 1; k <= 30; k++)
        {
            term = Mul(term, x1, n);
            for (int i = 0; i < term.Length; i++)
            {
                term[i] /= k;
                result[i] += term[i];
            }
        }

        for (int k = 0; k < s; k++)
        {
            result = Mul(result, result, n);
        }

        return result;
    }

    /// <summary>sum(g * expm(a)), the scalar whose gradient the kernel's backward computes.</summary>
    public static double Objective(double[] a, double[] g, int n)
    {
        double[] e = Expm(a, n);
        double s = 0;
        for (int i = 0; i < e.Length; i++)
        {
            s += g[i] * e[i];
        }

        return s;
    }

    public static double[] Identity(int n)
    {
        var id = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            id[i * n + i] = 1;
        }

        return id;
    }

    public static double[] Mul(double[] a, double[] b, int n)
    {
        var c = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                double aik = a[i * n + k];
                for (int j = 0; j < n; j++)
                {
                    c[i * n + j] += aik * b[k * n + j];
                }
            }
        }

        return c;
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Batched matrix exponential of square matrices and its exact gradient.
/// </summary>
/// <remarks>
/// <para>Layout: a batch of <c>batch</c> row-major n x n matrices stored contiguously as [B, n, n].</para>
/// <para>Method: scaling and squaring with a diagonal Pade approximant chosen from the 1-norm (Higham 2005,
/// "The scaling and squaring method for the matrix exponential revisited"). Every matrix is processed in double
/// precision. The double API uses degrees 3, 5, 7, 9, 13 with the double-precision thresholds; the float32 API
/// uses degrees 3, 5, 7, 9 with thresholds for a relative backward error of 2^-30, so its result is accurate
/// to float rounding for well-conditioned inputs with norms up to about 64 (and degrades gracefully beyond).</para>
/// <para>Backward: the gradient of <c>sum(G * expm(A))</c> with respect to A is the Frechet derivative
/// L(A^T, G). It is obtained by differentiating the very same approximant and squaring chain in forward mode
/// (Al-Mohy and Higham 2009), so it is the exact gradient of what <see cref="Forward(ReadOnlySpan{float}, int, int, Span{float})"/> computes.</para>
/// <para>Inputs with a non-finite entry produce NaN in the corresponding output matrix.</para>
/// </remarks>
public static unsafe class CpuMatrixExp
{
    // Largest 1-norm for which the Pade approximant of each degree is accurate to double precision
    // (backward error bounded by the unit roundoff 2^-53); values from Higham (2005), Table 2.1.
    private static readonly double[] Theta =
    [
        1.495585217958292e-2, 2.539398330063230e-1, 9.504178996162932e-1, 2.097847961257068e0, 5.371920351148152e0,
    ];

    // Thresholds for the float32 API: the same backward error bound (Higham 2005, eq. 3.5) solved for a
    // relative backward error of 2^-30 instead of 2^-53. The result is rounded to float (2^-24), and the forward
    // error caused by a backward error u is about u * ||A||, so 2^-30 keeps the truncation below float rounding
    // for norms up to about 64 while saving about a third of the work of the double-precision thresholds.
    private static readonly double[] ThetaSingle = [2.131239650636821e-1, 1.246188911918338e0, 2.940447898567213e0, 5.010159175497637e0];

    private static readonly int[] Degrees = [3, 5, 7, 9, 13];

    // Coefficients of the numerator polynomial of the [m/m] Pade approximant of exp(x), normalised so that the
    // leading coefficient is 1: c_j proportional to (2m-j)! m! / ((2m)! j! (m-j)!).
    private static readonly double[][] Coefficients = BuildCoefficients();

    /// <summary>Matrix blocks of n x n doubles that the per-matrix workspace holds.</summary>
    private const int WorkspaceBlocks = 24;

    /// <summary>Workspaces up to this many doubles live on the stack.</summary>
    private const int StackWorkspaceLimit = 8192;

    /// <summary>Run in parallel when batch * n^3 reaches this amount.</summary>
    private const long ParallelWork = 1L << 16;

    /// <summary>Computes expA[b] = exp(a[b]) for every matrix of the batch.</summary>
    /// <param name="a">Input matrices, [batch, n, n] row-major.</param>
    /// <param name="batch">Number of matrices.</param>
    /// <param name="n">Matrix order (n >= 1).</param>
    /// <param name="expA">Output, [batch, n, n]; overwritten.</param>
    public static void Forward(ReadOnlySpan<float> a, int batch, int n, Span<float> expA)
    {
        CheckSizes(a.Length, batch, n, expA.Length, nameof(expA));
        if (batch == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* po = expA)
        {
            Run(pa, null, po, batch, n);
        }
    }

    /// <summary>Double-precision overload of <see cref="Forward(ReadOnlySpan{float}, int, int, Span{float})"/>.</summary>
    public static void Forward(ReadOnlySpan<double> a, int batch, int n, Span<double> expA)
    {
        CheckSizes(a.Length, batch, n, expA.Length, nameof(expA));
        if (batch == 0)
        {
            return;
        }

        fixed (double* pa = a)
        fixed (double* po = expA)
        {
            Run(pa, null, po, batch, n);
        }
    }

    /// <summary>
    /// Gradient of <c>sum(gradOut * expm(a))</c> with respect to a: gradA[b] = L(a[b]^T, gradOut[b]), the Frechet
    /// derivative of the exponential at the transposed matrix applied to the upstream gradient.
    /// </summary>
    /// <param name="a">Input matrices of the forward pass, [batch, n, n].</param>
    /// <param name="gradOut">Upstream gradient with respect to expm(a), [batch, n, n].</param>
    /// <param name="batch">Number of matrices.</param>
    /// <param name="n">Matrix order (n >= 1).</param>
    /// <param name="gradA">Output gradient, [batch, n, n]; overwritten.</param>
    public static void Backward(ReadOnlySpan<float> a, ReadOnlySpan<float> gradOut, int batch, int n, Span<float> gradA)
    {
        CheckSizes(a.Length, batch, n, gradA.Length, nameof(gradA));
        CheckSizes(gradOut.Length, batch, n, gradA.Length, nameof(gradOut));
        if (batch == 0)
        {
            return;
        }

        fixed (float* pa = a)
        fixed (float* pg = gradOut)
        fixed (float* po = gradA)
        {
            Run(pa, pg, po, batch, n);
        }
    }

    /// <summary>Double-precision overload of <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, int, Span{float})"/>.</summary>
    public static void Backward(ReadOnlySpan<double> a, ReadOnlySpan<double> gradOut, int batch, int n, Span<double> gradA)
    {
        CheckSizes(a.Length, batch, n, gradA.Length, nameof(gradA));
        CheckSizes(gradOut.Length, batch, n, gradA.Length, nameof(gradOut));
        if (batch == 0)
        {
            return;
        }

        fixed (double* pa = a)
        fixed (double* pg = gradOut)
        fixed (double* po = gradA)
        {
            Run(pa, pg, po, batch, n);
        }
    }

    private static void CheckSizes(int inputLength, int batch, int n, int outputLength, string outputName)
    {
        if (batch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), "batch must be non-negative.");
        }

        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), "n must be at least 1.");
        }

        long need = (long)batch * n * n;
        if (inputLength < need)
        {
            throw new ArgumentException($"Input holds {inputLength} values, [batch, n, n] needs {need}.");
        }

        if (outputLength < need)
        {
            throw new ArgumentException($"{outputName} holds {outputLength} values, [batch, n, n] needs {need}.", outputName);
        }
    }

    private static double[][] BuildCoefficients()
    {
        var result = new double[Degrees.Length][];
        for (int d = 0; d < Degrees.Length; d++)
        {
            int m = Degrees[d];
            var c = new double[m + 1];
            c[0] = 1.0;
            for (int j = 1; j <= m; j++)
            {
                c[j] = c[j - 1] * (m - j + 1) / ((double)(2 * m - j + 1) * j);
            }

            // Normalise so that the largest power has coefficient 1 (keeps magnitudes moderate).
            double lead = c[m];
            for (int j = 0; j <= m; j++)
            {
                c[j] /= lead;
            }

            result[d] = c;
        }

        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Batch driver
    // ---------------------------------------------------------------------------------------------

    /// <summary>g == null: forward (output = exp(A)); otherwise backward (output = L(A^T, G)).</summary>
    private static void Run<TS>(TS* a, TS* g, TS* output, int batch, int n)
        where TS : unmanaged, IFloatingPointIeee754<TS>
    {
        long work = (long)batch * n * n * n;
        int workers = Environment.ProcessorCount;
        if (workers > 1 && batch > 1 && work >= ParallelWork)
        {
            int chunks = (int)Math.Min(batch, Math.Min(workers * 4L, work / (ParallelWork / 4)));
            chunks = Math.Max(chunks, 2);
            nint pa = (nint)a, pg = (nint)g, po = (nint)output;
            WorkQueue.Run(workers, chunks, (_, ci) =>
            {
                int start = (int)((long)batch * ci / chunks);
                int end = (int)((long)batch * (ci + 1) / chunks);
                RunRange((TS*)pa, (TS*)pg, (TS*)po, start, end, n);
            });
        }
        else
        {
            RunRange(a, g, output, 0, batch, n);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunRange<TS>(TS* a, TS* g, TS* output, int start, int end, int n)
        where TS : unmanaged, IFloatingPointIeee754<TS>
    {
        int nn = n * n;
        long wsLen = (long)WorkspaceBlocks * nn + n;
        if (wsLen <= StackWorkspaceLimit)
        {
            double* ws = stackalloc double[(int)wsLen];
            Dispatch(a, g, output, start, end, n, ws);
        }
        else
        {
            double[] heap = GC.AllocateUninitializedArray<double>(checked((int)wsLen), pinned: true);
            fixed (double* ws = heap)
            {
                Dispatch(a, g, output, start, end, n, ws);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dispatch<TS>(TS* a, TS* g, TS* output, int start, int end, int n, double* ws)
        where TS : unmanaged, IFloatingPointIeee754<TS>
    {
        switch (n)
        {
            case 2:
                Loop(default(Ops2), a, g, output, start, end, ws);
                break;
            case 3:
                Loop(default(Ops3), a, g, output, start, end, ws);
                break;
            case 4:
                Loop(default(Ops4), a, g, output, start, end, ws);
                break;
            default:
                Loop(new OpsN(n), a, g, output, start, end, ws);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Loop<TOps, TS>(TOps ops, TS* a, TS* g, TS* output, int start, int end, double* ws)
        where TOps : struct, IOps
        where TS : unmanaged, IFloatingPointIeee754<TS>
    {
        int n = ops.N, nn = n * n;
        bool single = typeof(TS) == typeof(float);
        double* ma = ws;
        double* me = ws + nn;
        double* res = ws + 2 * nn;
        double* scratch = ws + 3 * nn;
        for (int b = start; b < end; b++)
        {
            TS* src = a + (long)b * nn;
            TS* dst = output + (long)b * nn;
            if (g == null)
            {
                for (int i = 0; i < nn; i++)
                {
                    ma[i] = double.CreateTruncating(src[i]);
                }

                ExpCore(ops, ma, null, res, null, scratch, single);
            }
            else
            {
                TS* gs = g + (long)b * nn;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        ma[i * n + j] = double.CreateTruncating(src[j * n + i]);
                    }
                }

                for (int i = 0; i < nn; i++)
                {
                    me[i] = double.CreateTruncating(gs[i]);
                }

                ExpCore(ops, ma, me, scratch + 20 * nn, res, scratch, single);
            }

            for (int i = 0; i < nn; i++)
            {
                dst[i] = TS.CreateTruncating(res[i]);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Per-matrix kernel
    // ---------------------------------------------------------------------------------------------

    /// <summary>
    /// r = exp(A); if e != null also l = L(A, E). a and e are scaled in place. ws must hold 21 * n^2 + n doubles;
    /// blocks 0..19 are scratch, block 20 is free (r may point there when only l is wanted), pivots follow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpCore<TOps>(TOps ops, double* a, double* e, double* r, double* l, double* ws, bool single)
        where TOps : struct, IOps
    {
        int n = ops.N, nn = n * n;
        bool deriv = e != null;

        double norm = 0;
        for (int j = 0; j < n; j++)
        {
            double col = 0;
            for (int i = 0; i < n; i++)
            {
                col += Math.Abs(a[i * n + j]);
            }

            norm = Math.Max(norm, col);
        }

        bool finite = double.IsFinite(norm);
        if (deriv)
        {
            for (int i = 0; i < nn; i++)
            {
                finite &= double.IsFinite(e[i]);
            }
        }

        if (!finite)
        {
            Fill(r, nn, double.NaN);
            if (deriv)
            {
                Fill(l, nn, double.NaN);
            }

            return;
        }

        double[] theta = single ? ThetaSingle : Theta;
        int maxIndex = theta.Length - 1;
        int degreeIndex = 0;
        while (degreeIndex < maxIndex && norm > theta[degreeIndex])
        {
            degreeIndex++;
        }

        int squarings = 0;
        if (norm > theta[maxIndex])
        {
            squarings = Math.Max(0, (int)Math.Ceiling(Math.Log2(norm / theta[maxIndex])));
            double scale = Math.ScaleB(1.0, -squarings);
            Scale(a, nn, scale);
            if (deriv)
            {
                Scale(e, nn, scale);
            }
        }

        double[] c = Coefficients[degreeIndex];
        double* a2 = ws;
        double* a4 = ws + nn;
        double* a6 = ws + 2 * nn;
        double* a8 = ws + 3 * nn;
        double* d2 = ws + 4 * nn;
        double* d4 = ws + 5 * nn;
        double* d6 = ws + 6 * nn;
        double* d8 = ws + 7 * nn;
        double* u = ws + 8 * nn;
        double* v = ws + 9 * nn;
        double* lu = ws + 10 * nn;
        double* lv = ws + 11 * nn;
        double* t1 = ws + 12 * nn;
        double* t2 = ws + 13 * nn;
        double* t3 = ws + 14 * nn;
        double* t4 = ws + 15 * nn;
        double* q = ws + 16 * nn;
        double* rr = ws + 17 * nn;
        double* ll = ws + 18 * nn;
        double* t5 = ws + 19 * nn;
        int* piv = (int*)(ws + 21 * nn);

        ops.Mul(a, a, a2);
        if (deriv)
        {
            ops.Mul(a, e, d2);
            ops.MulAdd(e, a, d2);
        }

        if (degreeIndex < 4)
        {
            int m = Degrees[degreeIndex];
            if (m >= 5)
            {
                ops.Mul(a2, a2, a4);
                if (deriv)
                {
                    ops.Mul(a2, d2, d4);
                    ops.MulAdd(d2, a2, d4);
                }
            }

            if (m >= 7)
            {
                ops.Mul(a4, a2, a6);
                if (deriv)
                {
                    ops.Mul(a4, d2, d6);
                    ops.MulAdd(d4, a2, d6);
                }
            }

            if (m >= 9)
            {
                ops.Mul(a4, a4, a8);
                if (deriv)
                {
                    ops.Mul(a4, d4, d8);
                    ops.MulAdd(d4, a4, d8);
                }
            }

            // t1 = sum_k c[2k+1] A^{2k}; v = sum_k c[2k] A^{2k}.
            double* pw0 = a2, pw1 = a4, pw2 = a6, pw3 = a8;
            double* dw0 = d2, dw1 = d4, dw2 = d6, dw3 = d8;
            int pairs = (m - 1) / 2; // number of even powers A^2 .. A^{m-1}
            Fill(t1, nn, 0);
            Fill(v, nn, 0);
            if (deriv)
            {
                Fill(t2, nn, 0);
                Fill(lv, nn, 0);
            }

            for (int k = 1; k <= pairs; k++)
            {
                double* p = k == 1 ? pw0 : k == 2 ? pw1 : k == 3 ? pw2 : pw3;
                Axpy(t1, nn, c[2 * k + 1], p);
                Axpy(v, nn, c[2 * k], p);
                if (deriv)
                {
                    double* dp = k == 1 ? dw0 : k == 2 ? dw1 : k == 3 ? dw2 : dw3;
                    Axpy(t2, nn, c[2 * k + 1], dp);
                    Axpy(lv, nn, c[2 * k], dp);
                }
            }

            AddDiagonal(t1, n, c[1]);
            AddDiagonal(v, n, c[0]);
            ops.Mul(a, t1, u);
            if (deriv)
            {
                ops.Mul(a, t2, lu);
                ops.MulAdd(e, t1, lu);
            }
        }
        else
        {
            ops.Mul(a2, a2, a4);
            ops.Mul(a4, a2, a6);
            if (deriv)
            {
                ops.Mul(a2, d2, d4);
                ops.MulAdd(d2, a2, d4);
                ops.Mul(a4, d2, d6);
                ops.MulAdd(d4, a2, d6);
            }

            // W1 = c13 A6 + c11 A4 + c9 A2 ; W2 = c7 A6 + c5 A4 + c3 A2 + c1 I ; U = A (A6 W1 + W2)
            // Z1 = c12 A6 + c10 A4 + c8 A2 ; Z2 = c6 A6 + c4 A4 + c2 A2 + c0 I ; V = A6 Z1 + Z2
            Comb3(t1, nn, c[13], a6, c[11], a4, c[9], a2);          // W1
            Comb3(t3, nn, c[7], a6, c[5], a4, c[3], a2);            // W2
            AddDiagonal(t3, n, c[1]);
            Comb3(t4, nn, c[12], a6, c[10], a4, c[8], a2);          // Z1
            Comb3(v, nn, c[6], a6, c[4], a4, c[2], a2);             // Z2
            AddDiagonal(v, n, c[0]);
            if (deriv)
            {
                // dW = A6 dW1 + dA6 W1 + dW2 ; dZ = A6 dZ1 + dA6 Z1 + dZ2
                Comb3(t2, nn, c[13], d6, c[11], d4, c[9], d2);      // dW1
                Comb3(lu, nn, c[7], d6, c[5], d4, c[3], d2);        // dW2
                ops.MulAdd(a6, t2, lu);
                ops.MulAdd(d6, t1, lu);                             // lu = dW (temporarily)
                Comb3(t5, nn, c[12], d6, c[10], d4, c[8], d2);      // dZ1
                Comb3(lv, nn, c[6], d6, c[4], d4, c[2], d2);        // dZ2
                ops.MulAdd(a6, t5, lv);
                ops.MulAdd(d6, t4, lv);                             // lv = dV
            }

            ops.MulAdd(a6, t1, t3);                                 // t3 = W
            ops.MulAdd(a6, t4, v);                                  // v = V
            ops.Mul(a, t3, u);                                      // u = U
            if (deriv)
            {
                ops.Mul(a, lu, t2);
                ops.MulAdd(e, t3, t2);                              // t2 = dU
                Copy(lu, t2, nn);
            }
        }

        // Q = V - U, P = V + U, R = Q^{-1} P.
        for (int i = 0; i < nn; i++)
        {
            q[i] = v[i] - u[i];
            rr[i] = v[i] + u[i];
        }

        // Q is well conditioned for the norms admitted above, so small orders use an explicit inverse.
        bool explicitInverse = ops.TryInverse(q, t2);
        if (explicitInverse)
        {
            ops.Mul(t2, rr, t5);
            Copy(rr, t5, nn);
        }
        else
        {
            LuFactor(q, n, piv);
            LuSolve(q, n, piv, rr);
        }

        if (deriv)
        {
            // Q L = (dU + dV) + (dU - dV) R
            for (int i = 0; i < nn; i++)
            {
                t5[i] = lu[i] + lv[i];
                t1[i] = lu[i] - lv[i];
            }

            ops.MulAdd(t1, rr, t5);
            if (explicitInverse)
            {
                ops.Mul(t2, t5, ll);
            }
            else
            {
                Copy(ll, t5, nn);
                LuSolve(q, n, piv, ll);
            }
        }

        // Squaring chain: L <- R L + L R, R <- R R.
        double* rCur = rr, rNext = t3, lCur = ll, lNext = t4;
        for (int k = 0; k < squarings; k++)
        {
            if (deriv)
            {
                ops.Mul(rCur, lCur, lNext);
                ops.MulAdd(lCur, rCur, lNext);
                double* tl = lCur;
                lCur = lNext;
                lNext = tl;
            }

            ops.Mul(rCur, rCur, rNext);
            double* tr = rCur;
            rCur = rNext;
            rNext = tr;
        }

        Copy(r, rCur, nn);
        if (deriv)
        {
            Copy(l, lCur, nn);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Small dense helpers
    // ---------------------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fill(double* x, int len, double value)
    {
        for (int i = 0; i < len; i++)
        {
            x[i] = value;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(double* dst, double* src, int len)
    {
        for (int i = 0; i < len; i++)
        {
            dst[i] = src[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(double* x, int len, double s)
    {
        for (int i = 0; i < len; i++)
        {
            x[i] *= s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(double* y, int len, double alpha, double* x)
    {
        for (int i = 0; i < len; i++)
        {
            y[i] += alpha * x[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Comb3(double* y, int len, double c1, double* x1, double c2, double* x2, double c3, double* x3)
    {
        for (int i = 0; i < len; i++)
        {
            y[i] = c1 * x1[i] + c2 * x2[i] + c3 * x3[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddDiagonal(double* y, int n, double alpha)
    {
        for (int i = 0; i < n; i++)
        {
            y[i * (n + 1)] += alpha;
        }
    }

    /// <summary>In-place LU factorisation with partial pivoting (row swaps recorded in piv).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LuFactor(double* m, int n, int* piv)
    {
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double best = Math.Abs(m[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double x = Math.Abs(m[i * n + k]);
                if (x > best)
                {
                    best = x;
                    p = i;
                }
            }

            piv[k] = p;
            if (p != k)
            {
                for (int j = 0; j < n; j++)
                {
                    (m[k * n + j], m[p * n + j]) = (m[p * n + j], m[k * n + j]);
                }
            }

            double pivot = m[k * n + k];
            if (pivot == 0)
            {
                continue;
            }

            double inv = 1.0 / pivot;
            for (int i = k + 1; i < n; i++)
            {
                double f = m[i * n + k] * inv;
                m[i * n + k] = f;
                if (f != 0)
                {
                    for (int j = k + 1; j < n; j++)
                    {
                        m[i * n + j] -= f * m[k * n + j];
                    }
                }
            }
        }
    }

    /// <summary>Solves (LU) X = B in place for an n x n right-hand side B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LuSolve(double* lu, int n, int* piv, double* b)
    {
        for (int k = 0; k < n; k++)
        {
            int p = piv[k];
            if (p != k)
            {
                for (int j = 0; j < n; j++)
                {
                    (b[k * n + j], b[p * n + j]) = (b[p * n + j], b[k * n + j]);
                }
            }
        }

        // Forward substitution with unit lower triangle.
        for (int i = 1; i < n; i++)
        {
            for (int k = 0; k < i; k++)
            {
                double f = lu[i * n + k];
                if (f != 0)
                {
                    for (int j = 0; j < n; j++)
                    {
                        b[i * n + j] -= f * b[k * n + j];
                    }
                }
            }
        }

        // Back substitution with the upper triangle.
        for (int i = n - 1; i >= 0; i--)
        {
            for (int k = i + 1; k < n; k++)
            {
                double f = lu[i * n + k];
                if (f != 0)
                {
                    for (int j = 0; j < n; j++)
                    {
                        b[i * n + j] -= f * b[k * n + j];
                    }
                }
            }

            double inv = 1.0 / lu[i * n + i];
            for (int j = 0; j < n; j++)
            {
                b[i * n + j] *= inv;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Matrix product kernels, specialised for small orders
    // ---------------------------------------------------------------------------------------------

    private interface IOps
    {
        int N { get; }

        /// <summary>c = a b (c must not alias a or b).</summary>
        void Mul(double* a, double* b, double* c);

        /// <summary>c += a b (c must not alias a or b).</summary>
        void MulAdd(double* a, double* b, double* c);

        /// <summary>Writes the inverse of q (unchanged) into inv and returns true, or returns false if this order
        /// has no explicit formula.</summary>
        bool TryInverse(double* q, double* inv);
    }

    private readonly struct OpsN(int n) : IOps
    {
        public int N => n;

        public void Mul(double* a, double* b, double* c)
        {
            Fill(c, n * n, 0);
            MulAdd(a, b, c);
        }

        public bool TryInverse(double* q, double* inv) => false;

        public void MulAdd(double* a, double* b, double* c)
        {
            for (int i = 0; i < n; i++)
            {
                double* ci = c + i * n;
                double* ai = a + i * n;
                for (int k = 0; k < n; k++)
                {
                    double aik = ai[k];
                    double* bk = b + k * n;
                    for (int j = 0; j < n; j++)
                    {
                        ci[j] += aik * bk[j];
                    }
                }
            }
        }
    }

    private readonly struct Ops2 : IOps
    {
        public int N => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryInverse(double* q, double* inv)
        {
            double det = q[0] * q[3] - q[1] * q[2];
            double r = 1.0 / det;
            inv[0] = q[3] * r;
            inv[1] = -q[1] * r;
            inv[2] = -q[2] * r;
            inv[3] = q[0] * r;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Mul(double* a, double* b, double* c)
        {
            double a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            c[0] = a0 * b0 + a1 * b2;
            c[1] = a0 * b1 + a1 * b3;
            c[2] = a2 * b0 + a3 * b2;
            c[3] = a2 * b1 + a3 * b3;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void MulAdd(double* a, double* b, double* c)
        {
            double a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            c[0] += a0 * b0 + a1 * b2;
            c[1] += a0 * b1 + a1 * b3;
            c[2] += a2 * b0 + a3 * b2;
            c[3] += a2 * b1 + a3 * b3;
        }
    }

    private readonly struct Ops3 : IOps
    {
        public int N => 3;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryInverse(double* q, double* inv)
        {
            double q0 = q[0], q1 = q[1], q2 = q[2], q3 = q[3], q4 = q[4], q5 = q[5], q6 = q[6], q7 = q[7], q8 = q[8];
            double c0 = q4 * q8 - q5 * q7;
            double c1 = q5 * q6 - q3 * q8;
            double c2 = q3 * q7 - q4 * q6;
            double r = 1.0 / (q0 * c0 + q1 * c1 + q2 * c2);
            inv[0] = c0 * r;
            inv[1] = (q2 * q7 - q1 * q8) * r;
            inv[2] = (q1 * q5 - q2 * q4) * r;
            inv[3] = c1 * r;
            inv[4] = (q0 * q8 - q2 * q6) * r;
            inv[5] = (q2 * q3 - q0 * q5) * r;
            inv[6] = c2 * r;
            inv[7] = (q1 * q6 - q0 * q7) * r;
            inv[8] = (q0 * q4 - q1 * q3) * r;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Mul(double* a, double* b, double* c)
        {
            double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7], b8 = b[8];
            double x = a[0], y = a[1], z = a[2];
            c[0] = x * b0 + y * b3 + z * b6;
            c[1] = x * b1 + y * b4 + z * b7;
            c[2] = x * b2 + y * b5 + z * b8;
            x = a[3]; y = a[4]; z = a[5];
            c[3] = x * b0 + y * b3 + z * b6;
            c[4] = x * b1 + y * b4 + z * b7;
            c[5] = x * b2 + y * b5 + z * b8;
            x = a[6]; y = a[7]; z = a[8];
            c[6] = x * b0 + y * b3 + z * b6;
            c[7] = x * b1 + y * b4 + z * b7;
            c[8] = x * b2 + y * b5 + z * b8;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void MulAdd(double* a, double* b, double* c)
        {
            double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], b5 = b[5], b6 = b[6], b7 = b[7], b8 = b[8];
            double x = a[0], y = a[1], z = a[2];
            c[0] += x * b0 + y * b3 + z * b6;
            c[1] += x * b1 + y * b4 + z * b7;
            c[2] += x * b2 + y * b5 + z * b8;
            x = a[3]; y = a[4]; z = a[5];
            c[3] += x * b0 + y * b3 + z * b6;
            c[4] += x * b1 + y * b4 + z * b7;
            c[5] += x * b2 + y * b5 + z * b8;
            x = a[6]; y = a[7]; z = a[8];
            c[6] += x * b0 + y * b3 + z * b6;
            c[7] += x * b1 + y * b4 + z * b7;
            c[8] += x * b2 + y * b5 + z * b8;
        }
    }

    private readonly struct Ops4 : IOps
    {
        public int N => 4;

        public bool TryInverse(double* q, double* inv) => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Mul(double* a, double* b, double* c)
        {
            for (int i = 0; i < 16; i += 4)
            {
                double x = a[i], y = a[i + 1], z = a[i + 2], w = a[i + 3];
                c[i] = x * b[0] + y * b[4] + z * b[8] + w * b[12];
                c[i + 1] = x * b[1] + y * b[5] + z * b[9] + w * b[13];
                c[i + 2] = x * b[2] + y * b[6] + z * b[10] + w * b[14];
                c[i + 3] = x * b[3] + y * b[7] + z * b[11] + w * b[15];
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void MulAdd(double* a, double* b, double* c)
        {
            for (int i = 0; i < 16; i += 4)
            {
                double x = a[i], y = a[i + 1], z = a[i + 2], w = a[i + 3];
                c[i] += x * b[0] + y * b[4] + z * b[8] + w * b[12];
                c[i + 1] += x * b[1] + y * b[5] + z * b[9] + w * b[13];
                c[i + 2] += x * b[2] + y * b[6] + z * b[10] + w * b[14];
                c[i + 3] += x * b[3] + y * b[7] + z * b[11] + w * b[15];
            }
        }
    }
}

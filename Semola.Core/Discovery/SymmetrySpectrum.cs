using MathNet.Numerics.LinearAlgebra;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Method;
using Semola.Core.Tasks;
using Semola.Kernels;

namespace Semola.Core.Discovery;

/// <summary>
/// A post-hoc count of a trained model's symmetries (in the manner of LieGG): for held-out rows x and every output o of
/// a model f trained without augmentation, the C x C matrix R with R[j, k] = sum_b d f_o / d x_{b,j} x_{b,k} (minus
/// delta_{ij} f_{b',k} for output value i of an equivariant target block b') is linear in a generator L, and
/// &lt;R, L&gt; = 0 is f's infinitesimal symmetry condition. Rows (normalised) stacked over samples and outputs have small
/// singular values along symmetry generators; a clear gap counts them. A cross-check beside SEMoLA, not the discoverer.
/// </summary>
public static class SymmetrySpectrum
{
    /// <summary>Singular values (of rows normalised to unit length, divided by sqrt(rows)) below this may count as symmetries.</summary>
    public const double Threshold = 0.25;

    /// <summary>The least ratio between the first value above the counted ones and the last counted one.</summary>
    public const double Gap = 2.0;

    /// <summary>Computes the spectrum on at most <paramref name="maxSamples"/> rows of <paramref name="data"/>.</summary>
    public static SpectrumResult Compute(Module model, TabularTask task, Training.SampleSet data, Device device, int maxSamples = 512)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        int s = Math.Min(maxSamples, data.Count);
        int d = data.SampleSize, c = task.Component, blocks = d / c;
        var xs = data.Inputs.AsSpan(0, s * d).ToArray();
        bool classification = task.Kind == TaskKind.Classification;
        model.Eval();
        float[] f;
        var grads = new List<float[]>();
        using (var scope = new TensorScope())
        {
            using (GradMode.NoGrad())
            {
                f = model.Forward(Tensor.FromArray(xs, [s, d], device)).ToArray();
            }
            int outputs = f.Length / s;
            for (int o = 0; o < outputs; o++)
            {
                using var inner = new TensorScope();
                var x = Tensor.FromArray(xs, [s, d], device);
                x.RequiresGrad = true;
                var y = model.Forward(x);
                var seed = new float[s * outputs];
                for (int r = 0; r < s; r++)
                {
                    seed[r * outputs + o] = 1f;
                }
                var g = y.Backward(Tensor.FromArray(seed, [s, outputs], device));
                grads.Add(g[x].ToArray());
            }
        }
        model.Train();
        int outs = grads.Count;
        if (classification)
        {
            // Logits are defined up to a shared shift: use them centred across classes.
            for (int i = 0; i < s * d; i++)
            {
                double m = 0;
                for (int o = 0; o < outs; o++)
                {
                    m += grads[o][i];
                }
                m /= outs;
                for (int o = 0; o < outs; o++)
                {
                    grads[o][i] -= (float)m;
                }
            }
        }
        var rows = new List<double[]>();
        for (int r = 0; r < s; r++)
        {
            for (int o = 0; o < outs; o++)
            {
                var row = new double[c * c];
                for (int b = 0; b < blocks; b++)
                {
                    for (int j = 0; j < c; j++)
                    {
                        double gj = grads[o][r * d + b * c + j];
                        for (int k = 0; k < c; k++)
                        {
                            row[j * c + k] += gj * xs[r * d + b * c + k];
                        }
                    }
                }
                if (task.Equivariant)
                {
                    int ob = o / c, i = o % c;
                    for (int k = 0; k < c; k++)
                    {
                        row[i * c + k] -= f[r * outs + ob * c + k];
                    }
                }
                double norm = Math.Sqrt(row.Sum(v => v * v));
                if (norm > 1e-12)
                {
                    rows.Add(row.Select(v => v / norm).ToArray());
                }
            }
        }
        if (rows.Count < c * c)
        {
            throw new InvalidOperationException($"The symmetry spectrum needs at least {c * c} informative rows, got {rows.Count} (too few held-out rows, or a constant model).");
        }
        var a = Matrix<double>.Build.Dense(rows.Count, c * c, (i, j) => rows[i][j]);
        var svd = a.Svd(computeVectors: true);
        double scale = Math.Sqrt(rows.Count);
        var values = svd.S.Select(v => v / scale).ToArray(); // descending
        var vt = svd.VT;
        Array.Reverse(values);
        int count = Count(values);
        var nullSpace = new List<double[,]>();
        for (int q = 0; q < count; q++)
        {
            var row = vt.Row(c * c - 1 - q);
            var m = new double[c, c];
            for (int j = 0; j < c; j++)
            {
                for (int k = 0; k < c; k++)
                {
                    m[j, k] = row[j * c + k];
                }
            }
            nullSpace.Add(m);
        }
        return new SpectrumResult(values, count, nullSpace, rows.Count);
    }

    /// <summary>
    /// The number of symmetry directions in an ascending spectrum: the k whose gap values[k] / values[k-1] is largest among
    /// those with values[k-1] below <see cref="Threshold"/> and a gap of at least <see cref="Gap"/>; 0 when none.
    /// </summary>
    public static int Count(IReadOnlyList<double> ascending)
    {
        ArgumentNullException.ThrowIfNull(ascending);
        int best = 0;
        double bestGap = Gap;
        for (int k = 1; k < ascending.Count; k++)
        {
            double below = ascending[k - 1], above = ascending[k];
            if (below < Threshold)
            {
                double gap = above / Math.Max(below, 1e-12);
                if (gap >= bestGap)
                {
                    best = k;
                    bestGap = gap;
                }
            }
        }
        return best;
    }
}

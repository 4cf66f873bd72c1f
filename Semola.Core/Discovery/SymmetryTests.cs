using MathNet.Numerics.Distributions;
using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Core.Method;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Core.Discovery;

/// <summary>
/// The held-out tests <c>discover</c> judges each learned generator with (docs/discover.md). Every test transforms the
/// held-out rows by exp(t L) with t = +-tau, tau a fixed, substantial magnitude (never the learned extent), and
/// uses a model trained without augmentation (never the augmented one, which was trained to be invariant):
/// <list type="bullet">
/// <item>the target test: is the input-target relation kept? (a paired one-sided Student-t test of the per-row loss);</item>
/// <item>the distribution test: is the distribution of (x, y) kept? (a classifier two-sample test, Binomial null).</item>
/// </list>
/// </summary>
public static class SymmetryTests
{
    /// <summary>The target test's tolerance: a symmetry may raise the reference model's held-out loss by at most this factor.</summary>
    public const double DefaultTolerance = 2.0;

    /// <summary>The median relative displacement of the inputs at the test magnitude tau.</summary>
    public const double TestDisplacement = 0.3;

    /// <summary>Bootstrap resamples of the loss ratio's confidence interval.</summary>
    public const int BootstrapResamples = 2000;

    /// <summary>
    /// The test magnitude tau of a direction: where the held-out inputs' median relative displacement reaches
    /// <see cref="TestDisplacement"/>, at most the half-period of a compact direction.
    /// </summary>
    public static double TestMagnitude(double[,] direction, SampleSet data)
    {
        ArgumentNullException.ThrowIfNull(direction);
        ArgumentNullException.ThrowIfNull(data);
        int used = Math.Min(data.Count, 1024);
        var span = data.Inputs.AsSpan(0, used * data.SampleSize);
        double limit = Lie.ExtentCaps.HalfPeriod(direction) ?? Lie.ExtentCaps.MaxMagnitude;
        return Lie.ExtentCaps.DisplacementMagnitude(direction, TestDisplacement, span, data.SampleSize, limit);
    }

    /// <summary>
    /// Group elements exp(t_i L) at the fixed magnitude |t_i| = tau with a random sign, [count, n, n]. (Uniform draws in
    /// [-tau, tau] would put most of the mass at small magnitudes, where no transformation changes much: the loss excess of
    /// a non-symmetry grows like t^2, so endpoints triple it against uniform draws, and the test judges what it states,
    /// the transformation at displacement 0.3.)
    /// </summary>
    public static Tensor Elements(double[,] direction, double magnitude, int count, Random rng, Device device)
    {
        ArgumentNullException.ThrowIfNull(direction);
        ArgumentNullException.ThrowIfNull(rng);
        int n = direction.GetLength(0);
        var a = new float[count * n * n];
        for (int b = 0; b < count; b++)
        {
            double t = rng.Next(2) == 0 ? -magnitude : magnitude;
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    a[(b * n + i) * n + j] = (float)(t * direction[i, j]);
                }
            }
        }
        return Tensor.FromArray(a, [count, n, n], device).MatrixExp();
    }

    /// <summary>
    /// The target test: the reference model's per-row loss on transformed held-out rows (inputs, and equivariant targets)
    /// against its loss on the originals. H0: the generator is a symmetry within the tolerance, E[l(g.x)] &lt;= tolerance E[l(x)];
    /// the p-value is the one-sided Student-t test of the mean of d = l(g.x) - tolerance l(x) &gt; 0. The loss ratio gets a
    /// bootstrap 95% interval.
    /// </summary>
    public static TargetTestResult TargetTest(Module model, SymmetryTask task, SampleSet data, double[,] direction, double magnitude, double tolerance, int seed, Device device, int batchSize = 512)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        var rng = new Random(seed);
        var original = new double[data.Count];
        var transformed = new double[data.Count];
        model.Eval();
        using (GradMode.NoGrad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = new TensorScope();
                int n = Math.Min(batchSize, data.Count - start);
                var batch = data.Range(start, n, device);
                var g = Elements(direction, magnitude, n, rng, device);
                var gx = task.InputAction.Apply(g, batch.X);
                var gy = task.Kind == TaskKind.Regression ? task.OutputAction.Apply(g, batch.Y!) : null;
                PerRowLoss(model.Forward(batch.X), batch.Labels, batch.Y).CopyTo(original, start);
                PerRowLoss(model.Forward(gx), batch.Labels, gy).CopyTo(transformed, start);
            }
        }
        model.Train();
        int rows = data.Count;
        double lo = original.Average(), lt = transformed.Average();
        var d = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            d[i] = transformed[i] - tolerance * original[i];
        }
        double mean = d.Average();
        double sd = Math.Sqrt(d.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, rows - 1));
        double t = sd > 0 ? mean / (sd / Math.Sqrt(rows)) : (mean > 0 ? double.PositiveInfinity : double.NegativeInfinity);
        double p = rows > 1 ? 1 - StudentT.CDF(0, 1, rows - 1, t) : 1;
        var boot = new double[BootstrapResamples];
        var brng = new Random(unchecked(seed * 7919 + 1));
        for (int b = 0; b < boot.Length; b++)
        {
            double so = 0, st = 0;
            for (int i = 0; i < rows; i++)
            {
                int k = brng.Next(rows);
                so += original[k];
                st += transformed[k];
            }
            boot[b] = so > 0 ? st / so : double.PositiveInfinity;
        }
        Array.Sort(boot);
        return new TargetTestResult(magnitude, rows, lo, lt, lo > 0 ? lt / lo : double.PositiveInfinity,
            boot[(int)(0.025 * (boot.Length - 1))], boot[(int)Math.Ceiling(0.975 * (boot.Length - 1))], t, Math.Clamp(p, 0, 1), tolerance);
    }

    /// <summary>Per-row task loss on the host: mean squared error over the target's values, or cross-entropy.</summary>
    public static double[] PerRowLoss(Tensor prediction, int[]? labels, Tensor? targets)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        int rows = prediction.Shape[0];
        int width = prediction.Numel / Math.Max(rows, 1);
        var p = prediction.ToArray();
        var result = new double[rows];
        if (labels is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                double max = double.NegativeInfinity;
                for (int c = 0; c < width; c++)
                {
                    max = Math.Max(max, p[r * width + c]);
                }
                double sum = 0;
                for (int c = 0; c < width; c++)
                {
                    sum += Math.Exp(p[r * width + c] - max);
                }
                result[r] = Math.Log(sum) + max - p[r * width + labels[r]];
            }
            return result;
        }
        var y = (targets ?? throw new ArgumentException("A regression loss needs targets.")).ToArray();
        for (int r = 0; r < rows; r++)
        {
            double s = 0;
            for (int c = 0; c < width; c++)
            {
                double e = p[r * width + c] - y[r * width + c];
                s += e * e;
            }
            result[r] = s / width;
        }
        return result;
    }

    /// <summary>
    /// The distribution test, a classifier two-sample test: the held-out rows are split in halves; in each, every row is
    /// transformed by a fresh draw with probability 1/2 (label 1) or kept (label 0); a fresh small classifier learns to tell
    /// them apart on the first half (features: the inputs with the regression targets or the one-hot class) and is scored
    /// on the second. Under H0 (the transformation keeps the distribution of (x, y)) its number of correct answers is
    /// Binomial(n, 1/2), which gives the one-sided p-value.
    /// </summary>
    public static DistributionTestResult DistributionTest(SymmetryTask task, SampleSet data, double[,] direction, double magnitude, int seed, Device device, int epochs = 100, int hidden = 64)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        var rng = new Random(seed);
        var order = Enumerable.Range(0, data.Count).ToArray();
        rng.Shuffle(order);
        int half = data.Count / 2;
        if (half < 2)
        {
            throw new ArgumentException($"The distribution test needs at least 4 held-out rows, got {data.Count}.");
        }
        var (fitX, fitY) = Mixed(task, data, order[..half], direction, magnitude, rng, device);
        var (testX, testY) = Mixed(task, data, order[half..], direction, magnitude, rng, device);
        int features = fitX.Length / fitY.Length;
        // Standardise with the first half's statistics.
        var mean = new double[features];
        var sd = new double[features];
        for (int f = 0; f < features; f++)
        {
            double m = 0, v = 0;
            for (int r = 0; r < fitY.Length; r++)
            {
                m += fitX[r * features + f];
            }
            m /= fitY.Length;
            for (int r = 0; r < fitY.Length; r++)
            {
                v += Math.Pow(fitX[r * features + f] - m, 2);
            }
            mean[f] = m;
            sd[f] = Math.Sqrt(v / fitY.Length) is double s && s > 1e-12 ? s : 1;
        }
        void Standardise(float[] x)
        {
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (float)((x[i] - mean[i % features]) / sd[i % features]);
            }
        }
        Standardise(fitX);
        Standardise(testX);
        var classifier = new Mlp([features, hidden, hidden, 2], new Random(unchecked(seed * 31 + 5)));
        classifier.To(device);
        var optimizer = new Adam(classifier.Parameters(), 1e-3f);
        const int batch = 64;
        var idx = Enumerable.Range(0, fitY.Length).ToArray();
        for (int e = 0; e < epochs; e++)
        {
            rng.Shuffle(idx);
            for (int start = 0; start < idx.Length; start += batch)
            {
                using var scope = new TensorScope();
                int n = Math.Min(batch, idx.Length - start);
                var xb = new float[n * features];
                var yb = new int[n];
                for (int i = 0; i < n; i++)
                {
                    Array.Copy(fitX, idx[start + i] * features, xb, i * features, features);
                    yb[i] = fitY[idx[start + i]];
                }
                var loss = Losses.CrossEntropy(classifier.Forward(Tensor.FromArray(xb, [n, features], device)), yb);
                optimizer.Step(loss.Backward());
            }
        }
        int correct = 0;
        using (GradMode.NoGrad())
        {
            using var scope = new TensorScope();
            var predicted = classifier.Forward(Tensor.FromArray(testX, [testY.Length, features], device)).ArgMax(1).ToArray();
            for (int i = 0; i < testY.Length; i++)
            {
                correct += (int)predicted[i] == testY[i] ? 1 : 0;
            }
        }
        int total = testY.Length;
        double p = correct == 0 ? 1 : 1 - Binomial.CDF(0.5, total, correct - 1);
        return new DistributionTestResult(magnitude, total, (double)correct / total, Math.Clamp(p, 0, 1));
    }

    private static (float[] X, int[] Y) Mixed(SymmetryTask task, SampleSet data, int[] rows, double[,] direction, double magnitude, Random rng, Device device)
    {
        var batch = data.Gather(rows, device);
        var labels = rows.Select(_ => rng.Next(2)).ToArray();
        Tensor x = batch.X, y = batch.Y ?? batch.X;
        using (GradMode.NoGrad())
        {
            var g = Elements(direction, magnitude, rows.Length, rng, device);
            // Rows with label 0 keep the identity.
            var mask = Tensor.FromArray(labels.Select(l => (float)l).ToArray(), [rows.Length, 1, 1], device);
            int n = direction.GetLength(0);
            var eye = Tensor.FromArray(Enumerable.Range(0, rows.Length * n * n).Select(i => (i % (n * n)) % (n + 1) == 0 ? 1f : 0f).ToArray(), [rows.Length, n, n], device);
            var h = g.Mul(mask).Add(eye.Mul(mask.Neg().Add(1f)));
            x = task.InputAction.Apply(h, batch.X);
            if (batch.Y is not null)
            {
                y = task.OutputAction.Apply(h, batch.Y);
            }
        }
        var xs = x.Reshape(rows.Length, -1).ToArray();
        int width = xs.Length / rows.Length;
        int extra = batch.Y is not null ? y.Numel / rows.Length : task.Classes;
        var features = new float[rows.Length * (width + extra)];
        var ys = batch.Y is not null ? y.ToArray() : null;
        for (int r = 0; r < rows.Length; r++)
        {
            Array.Copy(xs, r * width, features, r * (width + extra), width);
            if (ys is not null)
            {
                Array.Copy(ys, r * extra, features, r * (width + extra) + width, extra);
            }
            else
            {
                features[r * (width + extra) + width + batch.Labels![r]] = 1f;
            }
        }
        return (features, labels);
    }
}

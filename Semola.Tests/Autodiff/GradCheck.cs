using Semola.Autodiff;

namespace Semola.Tests.Autodiff;

/// <summary>
/// Numerical gradient checking: the analytic gradient of L = sum(f(x) * W) (W fixed random weights)
/// is compared with central differences of L computed in double on the host.
/// </summary>
public static class GradCheck
{
    /// <summary>One input: host values and shape.</summary>
    public sealed record Input(float[] Data, int[] Shape);

    /// <summary>Random values in [lo, hi) whose magnitude is at least <paramref name="minAbs"/> (away from kinks at 0).</summary>
    public static Input Rand(int seed, int[] shape, float lo = -1f, float hi = 1f, float minAbs = 0f)
    {
        var rng = new Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[n];
        for (int i = 0; i < n; i++)
        {
            float v;
            do
            {
                v = lo + (hi - lo) * (float)rng.NextDouble();
            }
            while (MathF.Abs(v) < minAbs);
            data[i] = v;
        }
        return new Input(data, shape);
    }

    /// <summary>Distinct values (a shuffled ramp with gaps of <paramref name="gap"/>) for max-like ops.</summary>
    public static Input Distinct(int seed, int[] shape, float gap = 0.05f)
    {
        var rng = new Random(seed);
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = Enumerable.Range(0, n).Select(i => (i - n / 2) * gap).OrderBy(_ => rng.Next()).ToArray();
        return new Input(data, shape);
    }

    /// <summary>Checks the gradient of <paramref name="f"/> w.r.t. every input.</summary>
    public static void Check(Func<Tensor[], Tensor> f, Input[] inputs, double eps = 1e-2, double atol = 2e-3, double rtol = 2e-2, int seed = 7)
    {
        var leaves = inputs.Select(i => Tensor.FromArray(i.Data, i.Shape)).ToArray();
        foreach (var l in leaves)
        {
            l.RequiresGrad = true;
        }
        var output = f(leaves);
        var rng = new Random(seed);
        var weights = Enumerable.Range(0, output.Numel).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var w = Tensor.FromArray(weights, output.Shape.ToArray());
        var loss = output.Mul(w).Sum();
        var grads = loss.Backward();

        double Eval(int which, int index, double delta)
        {
            var xs = inputs.Select((inp, k) =>
            {
                var d = (float[])inp.Data.Clone();
                if (k == which)
                {
                    d[index] = (float)(d[index] + delta);
                }
                return Tensor.FromArray(d, inp.Shape);
            }).ToArray();
            using (GradMode.NoGrad())
            {
                var y = f(xs).ToArray();
                double s = 0;
                for (int i = 0; i < y.Length; i++)
                {
                    s += (double)y[i] * weights[i];
                }
                return s;
            }
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            var analytic = grads.Get(leaves[k])?.ToArray() ?? new float[inputs[k].Data.Length];
            Assert.Equal(inputs[k].Data.Length, analytic.Length);
            for (int i = 0; i < inputs[k].Data.Length; i++)
            {
                double numeric = (Eval(k, i, eps) - Eval(k, i, -eps)) / (2 * eps);
                double a = analytic[i];
                double tol = atol + rtol * Math.Max(Math.Abs(a), Math.Abs(numeric));
                Assert.True(Math.Abs(a - numeric) <= tol,
                    $"input {k} element {i}: analytic {a:G6} vs numeric {numeric:G6} (tolerance {tol:G3})");
            }
        }
    }

    /// <summary>Shorthand for one input.</summary>
    public static void Check(Func<Tensor, Tensor> f, Input x, double eps = 1e-2, double atol = 2e-3, double rtol = 2e-2) =>
        Check(t => f(t[0]), [x], eps, atol, rtol);
}

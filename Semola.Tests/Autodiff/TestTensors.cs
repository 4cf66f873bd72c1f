using Semola.Autodiff;
using Semola.Kernels;

namespace Semola.Tests.Autodiff;

/// <summary>Helpers shared by the autodiff tests.</summary>
internal static class TestTensors
{
    /// <summary>Overwrites a contiguous tensor's elements.</summary>
    public static void Set(Tensor t, params float[] values)
    {
        Assert.Equal(t.Numel, values.Length);
        t.Device.Backend.Upload(values, t.Buffer, t.Offset);
    }

    public static float[] Random(int n, int seed, float low = -1f, float high = 1f)
    {
        var rng = new Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++)
        {
            v[i] = low + (high - low) * (float)rng.NextDouble();
        }
        return v;
    }

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double tol)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * Math.Max(1, Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    /// <summary>
    /// Checks the gradients of loss = sum(f(inputs) * r) (r fixed random weights) against central
    /// differences of the float32 forward, accumulated in double on the host.
    /// </summary>
    public static void GradCheck(Func<Tensor[], Tensor> f, (float[] Data, int[] Shape)[] inputs, double h = 1e-2, double atol = 2e-3, double rtol = 2e-2)
    {
        var leaves = inputs.Select(i =>
        {
            var t = Tensor.FromArray(i.Data, i.Shape);
            t.RequiresGrad = true;
            return t;
        }).ToArray();
        var y = f(leaves);
        var r = Tensor.FromArray(Random(y.Numel, 99), [.. y.Shape]);
        var grads = y.Mul(r).Sum().Backward();
        var rHost = r.ToArray();

        double Loss(float[][] values)
        {
            using (GradMode.NoGrad())
            {
                var ts = values.Select((v, k) => Tensor.FromArray(v, inputs[k].Shape)).ToArray();
                var out_ = f(ts).ToArray();
                double s = 0;
                for (int i = 0; i < out_.Length; i++)
                {
                    s += (double)out_[i] * rHost[i];
                }
                return s;
            }
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            var analytic = grads[leaves[k]].ToArray();
            for (int j = 0; j < inputs[k].Data.Length; j++)
            {
                var values = inputs.Select(i => (float[])i.Data.Clone()).ToArray();
                float x0 = values[k][j];
                values[k][j] = (float)(x0 + h);
                double plus = Loss(values);
                values[k][j] = (float)(x0 - h);
                double minus = Loss(values);
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic[j]) <= atol + rtol * Math.Abs(numeric),
                    $"input {k} element {j}: numeric {numeric}, analytic {analytic[j]}");
            }
        }
    }
}

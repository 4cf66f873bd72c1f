namespace Semola.Tests.Kernels;

/// <summary>Shared helpers for kernel tests: random data and tolerant comparisons against double references.</summary>
internal static class KernelAssert
{
    public static float[] Random(int length, int seed, float scale = 1f)
    {
        var rng = new Random(seed);
        var r = new float[length];
        for (int i = 0; i < length; i++)
        {
            r[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        }

        return r;
    }

    /// <summary>Checks |actual - expected| &lt;= rel * max(1, max|expected|) element-wise.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rel = 1e-4, string what = "")
    {
        Assert.True(actual.Length >= expected.Length, $"{what}: output too short");
        double scale = 1;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        double tol = rel * scale;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = Math.Abs(expected[i] - actual[i]);
            if (!(diff <= tol))
            {
                Assert.Fail($"{what}: element {i} expected {expected[i]} got {actual[i]} (tol {tol})");
            }
        }
    }
}

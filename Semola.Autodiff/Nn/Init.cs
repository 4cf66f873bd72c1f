using Semola.Kernels;

namespace Semola.Autodiff.Nn;

/// <summary>
/// Seeded weight initialisers. Each returns a new leaf tensor that requires a gradient, allocated
/// outside any tensor scope so it outlives training steps.
/// </summary>
public static class Init
{
    /// <summary>The gain for ReLU networks, sqrt(2) (He et al., 2015).</summary>
    public static readonly float ReluGain = MathF.Sqrt(2f);

    /// <summary>Fan-in of a weight of <paramref name="shape"/>: [out, in] or [out, in, k...] gives in * prod(k).</summary>
    public static int FanIn(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < 2)
        {
            throw new ArgumentException($"FanIn: a weight needs at least 2 dimensions, got {Layout.Format(shape)}.");
        }
        int receptive = 1;
        for (int i = 2; i < shape.Length; i++)
        {
            receptive *= shape[i];
        }
        return shape[1] * receptive;
    }

    /// <summary>Fan-out of a weight of <paramref name="shape"/>: out * prod(k).</summary>
    public static int FanOut(int[] shape)
    {
        int fanIn = FanIn(shape);
        return fanIn == 0 ? 0 : shape[0] * (fanIn / shape[1]);
    }

    /// <summary>A parameter holding a copy of <paramref name="data"/>.</summary>
    public static Tensor Parameter(ReadOnlySpan<float> data, int[] shape, Device? device = null)
    {
        using (TensorScope.Suspend())
        {
            var t = Tensor.FromArray(data, shape, device);
            t.RequiresGrad = true;
            return t;
        }
    }

    /// <summary>A parameter filled with <paramref name="value"/>.</summary>
    public static Tensor Constant(int[] shape, float value, Device? device = null)
    {
        var data = new float[Layout.Numel(shape)];
        Array.Fill(data, value);
        return Parameter(data, shape, device);
    }

    /// <summary>Uniform samples in [-bound, bound).</summary>
    public static Tensor Uniform(int[] shape, float bound, Random rng, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var data = new float[Layout.Numel(shape)];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2.0 - 1.0) * bound);
        }
        return Parameter(data, shape, device);
    }

    /// <summary>Normal samples with mean 0 and standard deviation <paramref name="std"/> (Box-Muller).</summary>
    public static Tensor Normal(int[] shape, float std, Random rng, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var data = new float[Layout.Numel(shape)];
        for (int i = 0; i < data.Length; i += 2)
        {
            double r = Math.Sqrt(-2.0 * Math.Log(1.0 - rng.NextDouble()));
            double theta = 2.0 * Math.PI * rng.NextDouble();
            data[i] = (float)(std * r * Math.Cos(theta));
            if (i + 1 < data.Length)
            {
                data[i + 1] = (float)(std * r * Math.Sin(theta));
            }
        }
        return Parameter(data, shape, device);
    }

    /// <summary>Kaiming (He) uniform: bound = gain * sqrt(3 / fanIn); gain defaults to sqrt(2) for ReLU.</summary>
    public static Tensor KaimingUniform(int[] shape, Random rng, float? gain = null, Device? device = null)
    {
        int fanIn = Math.Max(FanIn(shape), 1);
        return Uniform(shape, (gain ?? ReluGain) * MathF.Sqrt(3f / fanIn), rng, device);
    }

    /// <summary>Kaiming (He) normal: std = gain / sqrt(fanIn); gain defaults to sqrt(2) for ReLU.</summary>
    public static Tensor KaimingNormal(int[] shape, Random rng, float? gain = null, Device? device = null)
    {
        int fanIn = Math.Max(FanIn(shape), 1);
        return Normal(shape, (gain ?? ReluGain) / MathF.Sqrt(fanIn), rng, device);
    }

    /// <summary>Xavier (Glorot) uniform: bound = gain * sqrt(6 / (fanIn + fanOut)).</summary>
    public static Tensor XavierUniform(int[] shape, Random rng, float gain = 1f, Device? device = null)
    {
        int fans = Math.Max(FanIn(shape) + FanOut(shape), 1);
        return Uniform(shape, gain * MathF.Sqrt(6f / fans), rng, device);
    }

    /// <summary>Xavier (Glorot) normal: std = gain * sqrt(2 / (fanIn + fanOut)).</summary>
    public static Tensor XavierNormal(int[] shape, Random rng, float gain = 1f, Device? device = null)
    {
        int fans = Math.Max(FanIn(shape) + FanOut(shape), 1);
        return Normal(shape, gain * MathF.Sqrt(2f / fans), rng, device);
    }
}

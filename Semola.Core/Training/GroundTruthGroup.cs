using Semola.Autodiff;
using Semola.Core.Lie;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>
/// A known one-parameter group exp(t L) with t uniform in [-extent, extent]: the ground-truth
/// augmentation baseline and the transformations the invariance metrics use.
/// </summary>
public sealed class GroundTruthGroup
{
    private readonly float[] _generator;

    /// <summary>Creates the group from a generator and the half-range of t.</summary>
    public GroundTruthGroup(double[,] generator, float extent)
    {
        ArgumentNullException.ThrowIfNull(generator);
        N = generator.GetLength(0);
        if (generator.GetLength(1) != N)
        {
            throw new ArgumentException("The ground-truth generator must be square.");
        }
        Generator = generator;
        Extent = extent;
        _generator = new float[N * N];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                _generator[i * N + j] = (float)generator[i, j];
            }
        }
    }

    /// <summary>The generator L.</summary>
    public double[,] Generator { get; }

    /// <summary>Half-range of t.</summary>
    public float Extent { get; }

    /// <summary>Matrix order.</summary>
    public int N { get; }

    /// <summary>exp(t_i L) for <paramref name="count"/> draws t_i ~ U(-extent, extent), [count, n, n].</summary>
    public Tensor Sample(int count, Random rng, Device device) => Exponent(count, rng, device).MatrixExp();

    /// <summary>Draws as <see cref="Sample"/> does, with their inverses exp(-t_i L).</summary>
    public GroupSample SampleWithInverse(int count, Random rng, Device device)
    {
        var a = Exponent(count, rng, device);
        return new GroupSample(a.MatrixExp(), a.Neg().MatrixExp(), a);
    }

    private Tensor Exponent(int count, Random rng, Device device)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var a = new float[count * N * N];
        for (int b = 0; b < count; b++)
        {
            float t = (float)((2 * rng.NextDouble() - 1) * Extent);
            for (int k = 0; k < N * N; k++)
            {
                a[b * N * N + k] = t * _generator[k];
            }
        }
        return Tensor.FromArray(a, [count, N, N], device);
    }
}

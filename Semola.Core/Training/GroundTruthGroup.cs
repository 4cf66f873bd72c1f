using Semola.Autodiff;
using Semola.Core.Lie;
using Semola.Kernels;

namespace Semola.Core.Training;

/// <summary>
/// A known group, exp(sum_i t_i L_i) with every t_i uniform in [-extent_i, extent_i] (one generator for the rotations of
/// images and N-body states; several for SE(3)): the ground-truth augmentation baseline, the transformations the
/// invariance metrics use, and the reference span of the generator metrics.
/// </summary>
public sealed class GroundTruthGroup
{
    private readonly float[][] _generators;
    private readonly float[] _extents;

    /// <summary>Creates the one-parameter group from a generator and the half-range of t.</summary>
    public GroundTruthGroup(double[,] generator, float extent)
        : this([generator], [extent])
    {
    }

    /// <summary>Creates the group from generators and the half-range of each coefficient.</summary>
    public GroundTruthGroup(IReadOnlyList<double[,]> generators, IReadOnlyList<float> extents)
    {
        ArgumentNullException.ThrowIfNull(generators);
        ArgumentNullException.ThrowIfNull(extents);
        if (generators.Count == 0 || generators.Count != extents.Count)
        {
            throw new ArgumentException($"A ground-truth group needs one extent per generator ({generators.Count} generators, {extents.Count} extents).");
        }
        N = generators[0].GetLength(0);
        _generators = new float[generators.Count][];
        for (int g = 0; g < generators.Count; g++)
        {
            if (generators[g].GetLength(0) != N || generators[g].GetLength(1) != N)
            {
                throw new ArgumentException($"The ground-truth generators must all be {N}x{N}.");
            }
            _generators[g] = new float[N * N];
            for (int i = 0; i < N; i++)
            {
                for (int j = 0; j < N; j++)
                {
                    _generators[g][i * N + j] = (float)generators[g][i, j];
                }
            }
        }
        Generators = generators;
        _extents = [.. extents];
    }

    /// <summary>The first generator L (the only one of a one-parameter group).</summary>
    public double[,] Generator => Generators[0];

    /// <summary>Every generator.</summary>
    public IReadOnlyList<double[,]> Generators { get; }

    /// <summary>Half-range of the first coefficient.</summary>
    public float Extent => _extents[0];

    /// <summary>Matrix order.</summary>
    public int N { get; }

    /// <summary>exp(sum_i t_i L_i) for <paramref name="count"/> draws, [count, n, n].</summary>
    public Tensor Sample(int count, Random rng, Device device) => Exponent(count, rng, device).MatrixExp();

    /// <summary>Draws as <see cref="Sample"/> does, with their inverses.</summary>
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
            for (int g = 0; g < _generators.Length; g++)
            {
                float t = (float)((2 * rng.NextDouble() - 1) * _extents[g]);
                var l = _generators[g];
                for (int k = 0; k < N * N; k++)
                {
                    a[b * N * N + k] += t * l[k];
                }
            }
        }
        return Tensor.FromArray(a, [count, N, N], device);
    }
}

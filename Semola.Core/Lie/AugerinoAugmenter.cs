using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Kernels;

namespace Semola.Core.Lie;

/// <summary>
/// Augerino's augmentation distribution (Benton et al.): fixed generators G_j, learned widths w_j = softplus(v_j),
/// and g = exp(sum_j e_j G_j) with e_j ~ U(-w_j / 2, w_j / 2). Gradients reach the widths through the matrix exponential.
/// </summary>
public sealed class AugerinoAugmenter : Module
{
    private readonly float[] _flatBasis;
    private Tensor? _basis;

    /// <summary>Creates the augmenter over <paramref name="basis"/> (n x n matrices) with initial widths softplus(0) = ln 2.</summary>
    public AugerinoAugmenter(IReadOnlyList<double[,]> basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        if (basis.Count == 0)
        {
            throw new ArgumentException("Augerino needs at least one generator.");
        }
        N = basis[0].GetLength(0);
        M = basis.Count;
        _flatBasis = new float[M * N * N];
        for (int j = 0; j < M; j++)
        {
            if (basis[j].GetLength(0) != N || basis[j].GetLength(1) != N)
            {
                throw new ArgumentException($"Augerino: generator {j} is not {N}x{N}.");
            }
            for (int r = 0; r < N; r++)
            {
                for (int c = 0; c < N; c++)
                {
                    _flatBasis[(j * N + r) * N + c] = (float)basis[j][r, c];
                }
            }
        }
        using (TensorScope.Suspend())
        {
            Width = RegisterParameter("width", Tensor.Zeros([M]));
        }
    }

    /// <summary>Number of generators.</summary>
    public int M { get; }

    /// <summary>Matrix order.</summary>
    public int N { get; }

    /// <summary>Raw widths v; the widths are softplus(v).</summary>
    public Tensor Width { get; }

    /// <summary>The widths w = softplus(v), [M].</summary>
    public Tensor Widths() => Width.Softplus();

    /// <summary>Host copy of the widths.</summary>
    public float[] WidthValues()
    {
        using (GradMode.NoGrad())
        {
            return Widths().ToArray();
        }
    }

    /// <summary>Group elements (and inverses) for <paramref name="count"/> draws from <paramref name="rng"/>.</summary>
    public GroupSample Sample(int count, Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (_basis is null || !ReferenceEquals(_basis.Device, Width.Device))
        {
            using (TensorScope.Suspend())
            {
                _basis = Tensor.FromArray(_flatBasis, [M, N * N], Width.Device);
            }
        }
        var u = Tensor.Uniform([count, M], -0.5f, 0.5f, rng, Width.Device);
        var e = u.Mul(Widths());
        var a = e.MatMul(_basis).Reshape(-1, N, N);
        return new GroupSample(a.MatrixExp(), a.Neg().MatrixExp(), e);
    }

    /// <summary>Not a feed-forward layer; use <see cref="Sample"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("AugerinoAugmenter draws group elements with Sample(count, rng).");
}

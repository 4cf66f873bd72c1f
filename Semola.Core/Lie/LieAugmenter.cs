using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Kernels;

namespace Semola.Core.Lie;

/// <summary>
/// Learns a Lie algebra basis {L_1..L_k} inside a <see cref="SearchSpace"/> and samples group
/// elements g = exp(sum_i e_i Lhat_i) with e_i = a_i u_i, u_i ~ U(-1, 1):
/// <list type="bullet">
/// <item>directions Lhat_i = L_i / ||L_i||_F, where L_i = sum_p W[i, p] E_p (parameter "weight");</item>
/// <item>extents a_i = softplus(w_i) (parameter "extent"), initialised to 1 by default.</item>
/// </list>
/// Gradients reach both through the differentiable matrix exponential. The basis regularisers and the
/// extent reward are separate terms so the objective can weight them.
/// </summary>
public sealed class LieAugmenter : Module
{
    private readonly float[] _flatElements; // [P, n*n], constant
    private Tensor? _elements; // _flatElements on the parameters' device, made on first use there
    private Random _rng;

    /// <summary>Creates an augmenter with <paramref name="generators"/> generators.</summary>
    /// <param name="space">Where the generators live.</param>
    /// <param name="generators">Number of generators k (at least 1).</param>
    /// <param name="seed">Seeds the initial basis and the sampling stream.</param>
    /// <param name="initialExtent">Initial half-width a_i of the coefficient distribution.</param>
    /// <param name="device">Where the parameters live.</param>
    public LieAugmenter(SearchSpace space, int generators, int seed, float initialExtent = 1f, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentOutOfRangeException.ThrowIfLessThan(generators, 1);
        if (!(initialExtent > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(initialExtent), initialExtent, "The initial extent must be positive.");
        }
        Space = space;
        K = generators;
        var dev = device ?? Device.Cpu;
        var init = new Random(seed);
        _rng = new Random(unchecked(seed * 7919 + 17));
        using (TensorScope.Suspend())
        {
            _flatElements = space.FlatElements();
            var w = new float[generators * space.FreeParameters];
            for (int i = 0; i < w.Length; i++)
            {
                // Standard normal: every direction is equally likely at the start; the norm is
                // irrelevant because directions are normalised.
                double u1 = 1.0 - init.NextDouble(), u2 = init.NextDouble();
                w[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }
            Weight = RegisterParameter("weight", Tensor.FromArray(w, [generators, space.FreeParameters], dev));
            float raw = InverseSoftplus(initialExtent);
            Extent = RegisterParameter("extent", Tensor.Full([generators], raw, dev));
        }
    }

    /// <summary>The search space.</summary>
    public SearchSpace Space { get; }

    /// <summary>Number of generators k.</summary>
    public int K { get; }

    /// <summary>Matrix order n.</summary>
    public int N => Space.N;

    /// <summary>Raw generator coefficients W, [k, P].</summary>
    public Tensor Weight { get; }

    /// <summary>Raw extents w, [k]; the half-widths are softplus(w).</summary>
    public Tensor Extent { get; }

    /// <summary>softplus^-1(a) = ln(e^a - 1).</summary>
    public static float InverseSoftplus(float a) => a > 20f ? a : (float)Math.Log(Math.Exp(a) - 1.0);

    /// <summary>The search space's elements E_p as a constant [P, n*n] tensor on the parameters' device.</summary>
    private Tensor Elements()
    {
        if (_elements is null || !ReferenceEquals(_elements.Device, Weight.Device))
        {
            using (TensorScope.Suspend())
            {
                _elements = Tensor.FromArray(_flatElements, [Space.FreeParameters, N * N], Weight.Device);
            }
        }
        return _elements;
    }

    /// <summary>The unnormalised generators L_i, [k, n, n].</summary>
    public Tensor Generators() => Weight.MatMul(Elements()).Reshape(K, N, N);

    /// <summary>The unit-norm directions Lhat_i, [k, n, n].</summary>
    public Tensor Directions()
    {
        var l = Weight.MatMul(Elements()); // [k, n*n]
        var norm = l.Square().Sum(1, keepDims: true).Add(1e-12f).Sqrt();
        return l.Div(norm).Reshape(K, N, N);
    }

    /// <summary>The half-widths a_i = softplus(w_i), [k].</summary>
    public Tensor Extents() => Extent.Softplus();

    /// <summary>Host copy of the directions as k double-precision matrices (for metrics and results).</summary>
    public double[][,] DirectionMatrices()
    {
        float[] d;
        using (GradMode.NoGrad())
        {
            d = Directions().ToArray();
        }
        var result = new double[K][,];
        for (int i = 0; i < K; i++)
        {
            result[i] = new double[N, N];
            for (int r = 0; r < N; r++)
            {
                for (int c = 0; c < N; c++)
                {
                    result[i][r, c] = d[(i * N + r) * N + c];
                }
            }
        }
        return result;
    }

    /// <summary>Host copy of the half-widths a_i.</summary>
    public float[] ExtentValues()
    {
        using (GradMode.NoGrad())
        {
            return Extents().ToArray();
        }
    }

    /// <summary>Restarts the sampling stream (trainers reseed per epoch so a resumed run draws the same elements).</summary>
    public void Reseed(int seed) => _rng = new Random(seed);

    /// <summary>Draws uniform u in [-1, 1), [count, k], from the augmenter's seeded stream.</summary>
    public Tensor DrawUniform(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var u = new float[count * K];
        for (int i = 0; i < u.Length; i++)
        {
            u[i] = (float)(2 * _rng.NextDouble() - 1);
        }
        return Tensor.FromArray(u, [count, K], Weight.Device);
    }

    /// <summary>
    /// Samples <paramref name="count"/> group elements with coefficients e = scale * a * u. A
    /// <paramref name="extentOverride"/> replaces a (a probe extent that keeps gradients to the
    /// directions only).
    /// </summary>
    public GroupSample Sample(int count, float? extentOverride = null) => SampleFrom(DrawUniform(count), extentOverride);

    /// <summary>Group elements for given uniform draws u, [count, k] (deterministic).</summary>
    public GroupSample SampleFrom(Tensor uniform, float? extentOverride = null) =>
        SampleScaled(uniform, extentOverride is float probe ? null : Extents(), extentOverride ?? 1f);

    /// <summary>Group elements with coefficients e_i = u_i * extents_i for fixed per-generator half-widths (no gradient to them).</summary>
    public GroupSample SampleFrom(Tensor uniform, float[] extents)
    {
        ArgumentNullException.ThrowIfNull(extents);
        if (extents.Length != K)
        {
            throw new ArgumentException($"LieAugmenter: {extents.Length} extents for {K} generators.");
        }
        return SampleScaled(uniform, Tensor.FromArray(extents, [K], Weight.Device), 1f);
    }

    private GroupSample SampleScaled(Tensor uniform, Tensor? extents, float scale)
    {
        ArgumentNullException.ThrowIfNull(uniform);
        if (uniform.Rank != 2 || uniform.Shape[1] != K)
        {
            throw new ArgumentException($"LieAugmenter: uniform draws must be [count, {K}], got {uniform.ShapeString}.");
        }
        var e = extents is null ? uniform.Mul(scale) : uniform.Mul(extents);
        var a = e.MatMul(Directions().Reshape(K, N * N)).Reshape(-1, N, N); // [count, n, n]
        return new GroupSample(a.MatrixExp(), a.Neg().MatrixExp(), e);
    }

    /// <summary>Orthogonality penalty sum_{i&lt;j} &lt;Lhat_i, Lhat_j&gt;_F^2 (zero for k = 1).</summary>
    public Tensor OrthogonalityPenalty()
    {
        var d = Directions().Reshape(K, N * N);
        var gram = d.MatMul(d.Transpose()); // [k, k], unit diagonal
        // sum_{i<j} g_ij^2 = (sum_ij g_ij^2 - sum_i g_ii^2) / 2 and g_ii = 1.
        return gram.Square().Sum().Add(-K).Mul(0.5f);
    }

    /// <summary>Sparsity penalty sum_i ||Lhat_i||_1.</summary>
    public Tensor SparsityPenalty() => Directions().Abs().Sum();

    /// <summary>Extent reward sum_i min(a_i, aMax) (to be maximised: it keeps the augmenter from collapsing).</summary>
    public Tensor ExtentReward(float aMax) => ExtentReward(Enumerable.Repeat(aMax, K).ToArray());

    /// <summary>Extent reward sum_i min(a_i, caps_i) with one cap per generator.</summary>
    public Tensor ExtentReward(float[] caps)
    {
        ArgumentNullException.ThrowIfNull(caps);
        if (caps.Length != K)
        {
            throw new ArgumentException($"LieAugmenter: {caps.Length} extent caps for {K} generators.");
        }
        return Extents().Minimum(Tensor.FromArray(caps, [K], Weight.Device)).Sum();
    }

    /// <summary>
    /// The data-free extent caps a_max,i = pi / ||Lhat_i||_2 (spectral norm of the current direction, read
    /// without gradient): a full turn for any rotation generator in any dimension (pi sqrt(2) for the image
    /// rotation, pi sqrt(4 bodies) for the N-body one) and a bounded range for scalings, shears and
    /// translations. Nothing about the true symmetry enters it.
    /// </summary>
    public float[] SpectralCaps() => DirectionMatrices().Select(SpectralCap).ToArray();

    /// <summary>pi / ||m||_2 for one matrix (the largest singular value, from MathNet's SVD).</summary>
    public static float SpectralCap(double[,] direction)
    {
        ArgumentNullException.ThrowIfNull(direction);
        double norm = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(direction).L2Norm();
        return norm > 1e-12 ? (float)(Math.PI / norm) : float.MaxValue;
    }

    /// <summary>The augmenter is not a feed-forward layer; use <see cref="Sample"/>.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotSupportedException("LieAugmenter draws group elements with Sample(count); apply them with a group action.");
}

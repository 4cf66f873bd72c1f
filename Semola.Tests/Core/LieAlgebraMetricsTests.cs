using Semola.Core.Lie;

namespace Semola.Tests.Core;

public class LieAlgebraMetricsTests
{
    private static double[,] RandomMatrix(Random rng, int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                m[i, j] = rng.NextDouble() * 2 - 1;
            }
        }

        return m;
    }

    private static double[,] Combine(double[][,] basis, double[] coefficients)
    {
        int n = basis[0].GetLength(0);
        var m = new double[n, n];
        for (int k = 0; k < basis.Length; k++)
        {
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    m[i, j] += coefficients[k] * basis[k][i, j];
                }
            }
        }

        return m;
    }

    [Fact]
    public void BasisSpreadFallsAsDirectionsCoincide()
    {
        var a = new double[,] { { 0, 1 }, { -1, 0 } };
        var b = new double[,] { { 1, 0 }, { 0, -1 } };
        var c = new double[,] { { 0, 1 }, { 1, 0 } };
        Assert.Equal(1.0, LieAlgebraMetrics.BasisSpread([a, b, c]), 12);
        // Two unit directions at cosine 0.5 (60 degrees): eigenvalues 1 +- 0.5.
        var d = Combine([a, c], [0.5, Math.Sqrt(0.75)]);
        Assert.Equal(0.5, LieAlgebraMetrics.BasisSpread([a, d]), 12);
        // A near copy spans one more dimension for the subspace similarity, but the spread is near 0.
        var nearCopy = Combine([a, b], [1, 1e-3]);
        Assert.True(LieAlgebraMetrics.BasisSpread([a, nearCopy, c]) < 1e-5);
        Assert.Equal(0.0, LieAlgebraMetrics.BasisSpread([a, new double[2, 2]]));
        Assert.True(double.IsNaN(LieAlgebraMetrics.BasisSpread([])));
    }

    [Fact]
    public void GeneratorCosineIsSignAndScaleInvariant()
    {
        double[,] r = LieAlgebraBases.ImageRotation();
        var minus = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                minus[i, j] = -2.5 * r[i, j];
            }
        }

        Assert.Equal(1.0, LieAlgebraMetrics.GeneratorCosine(r, r), 12);
        Assert.Equal(1.0, LieAlgebraMetrics.GeneratorCosine(r, minus), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.GeneratorCosine(r, LieAlgebraBases.ImageScaling()), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.GeneratorCosine(r, new double[3, 3]), 12);

        // The learned generator from the method notes: cosine about 0.99.
        double[,] learned = { { -0.01, -0.65, 0.06 }, { 0.76, 0.04, 0.00 }, { 0, 0, 0 } };
        double cos = LieAlgebraMetrics.GeneratorCosine(learned, r);
        Assert.InRange(cos, 0.98, 1.0);
        Assert.Equal(cos, LieAlgebraMetrics.BestMatchCosine([LieAlgebraBases.ImageScaling(), learned], r), 12);
    }

    [Fact]
    public void BasisAgainstItselfGivesOne()
    {
        foreach (double[][,] basis in new[] { LieAlgebraBases.So3(), LieAlgebraBases.Se3(), LieAlgebraBases.So13(), LieAlgebraBases.ImageSe2() })
        {
            Assert.Equal(1.0, LieAlgebraMetrics.SubspaceSimilarity(basis, basis), 10);
            Assert.All(LieAlgebraMetrics.PrincipalCosines(basis, basis), c => Assert.Equal(1.0, c, 10));
        }
    }

    [Fact]
    public void OrthogonalBasesGiveZero()
    {
        double[][,] se3 = LieAlgebraBases.Se3();
        double[][,] rotations = se3[..3];
        double[][,] translations = se3[3..];
        Assert.Equal(0.0, LieAlgebraMetrics.SubspaceSimilarity(rotations, translations), 12);

        double[][,] so13 = LieAlgebraBases.So13();
        Assert.Equal(0.0, LieAlgebraMetrics.SubspaceSimilarity(so13[..3], so13[3..]), 12);
    }

    [Fact]
    public void MixedBasisOfSameSpanGivesOne()
    {
        var rng = new Random(9);
        double[][,] so3 = LieAlgebraBases.So3();
        var mixed = new double[3][,];
        for (int k = 0; k < 3; k++)
        {
            mixed[k] = Combine(so3, [rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1]);
        }

        Assert.Equal(1.0, LieAlgebraMetrics.SubspaceSimilarity(mixed, so3), 10);

        // A redundant learned set (4 generators spanning so(3)) still matches exactly.
        double[][,] redundant = [.. mixed, Combine(mixed, [1, -2, 0.5])];
        Assert.Equal(1.0, LieAlgebraMetrics.SubspaceSimilarity(redundant, so3), 10);
    }

    [Fact]
    public void PartialOverlapGivesMeanOfSquaredCosines()
    {
        // span{e1, e2} vs span{e1, (e2 + e3)/sqrt2}: cosines 1 and 1/sqrt2, similarity (1 + 1/2) / 2.
        double[,] e1 = { { 1, 0 }, { 0, 0 } };
        double[,] e2 = { { 0, 1 }, { 0, 0 } };
        double[,] e23 = { { 0, 1 }, { 1, 0 } };
        Assert.Equal(0.75, LieAlgebraMetrics.SubspaceSimilarity([e1, e2], [e1, e23]), 12);
        double[] cos = LieAlgebraMetrics.PrincipalCosines([e1, e2], [e1, e23]);
        Assert.Equal(1.0, cos[0], 12);
        Assert.Equal(Math.Sqrt(0.5), cos[1], 12);

        // One learned direction inside a two-dimensional truth: one angle, cosine 1, over the larger rank 2
        // (a partial answer scores below a full one, and extra learned directions cannot inflate it).
        Assert.Equal(0.5, LieAlgebraMetrics.SubspaceSimilarity([e1], [e1, e23]), 12);
        Assert.Equal(0.5, LieAlgebraMetrics.SubspaceSimilarity([e1, e23], [e1]), 12);
    }

    [Fact]
    public void PrincipalCosinesAgreeWithSubspaceSimilarity()
    {
        var rng = new Random(10);
        double[][,] a = [RandomMatrix(rng, 3), RandomMatrix(rng, 3), RandomMatrix(rng, 3)];
        double[][,] b = [RandomMatrix(rng, 3), RandomMatrix(rng, 3)];
        double[] cos = LieAlgebraMetrics.PrincipalCosines(a, b);
        Assert.Equal(2, cos.Length);
        double mean = cos.Sum(c => c * c) / 3; // over the larger rank
        Assert.Equal(mean, LieAlgebraMetrics.SubspaceSimilarity(a, b), 10);
    }

    [Fact]
    public void BracketClosure()
    {
        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure(LieAlgebraBases.So3()), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure(LieAlgebraBases.Se3()), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure(LieAlgebraBases.So13()), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure(LieAlgebraBases.ImageSe2()), 12);
        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure([LieAlgebraBases.TwoBodyRotation()]), 12);

        var rng = new Random(12);
        double open = LieAlgebraMetrics.BracketClosure([LieAlgebraBases.So3()[2], RandomMatrix(rng, 3)]);
        Assert.True(open > 0.3, $"closure residual {open}");

        // Two of the three so(3) generators are not closed: [Lx, Ly] = Lz lies outside their span.
        Assert.Equal(1.0, LieAlgebraMetrics.BracketClosure(LieAlgebraBases.So3()[..2]), 12);
    }
}

using Semola.Core.Lie;

namespace Semola.Tests.Core;

public class LieAlgebraBasesTests
{
    private static double[,] Mul(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                for (int j = 0; j < n; j++)
                {
                    c[i, j] += a[i, k] * b[k, j];
                }
            }
        }

        return c;
    }

    [Fact]
    public void So3CommutationRelations()
    {
        double[][,] l = LieAlgebraBases.So3();
        Assert.Equal(l[2], LieAlgebraMetrics.Commutator(l[0], l[1]));
        Assert.Equal(l[0], LieAlgebraMetrics.Commutator(l[1], l[2]));
        Assert.Equal(l[1], LieAlgebraMetrics.Commutator(l[2], l[0]));
    }

    [Fact]
    public void LorentzGeneratorsPreserveMinkowskiMetric()
    {
        // L^T eta + eta L = 0 with eta = diag(-1, 1, 1, 1).
        var eta = new double[4, 4];
        eta[0, 0] = -1;
        eta[1, 1] = eta[2, 2] = eta[3, 3] = 1;
        foreach (double[,] l in LieAlgebraBases.So13())
        {
            var lt = new double[4, 4];
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    lt[i, j] = l[j, i];
                }
            }

            double[,] a = Mul(lt, eta), b = Mul(eta, l);
            for (int i = 0; i < 4; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    Assert.Equal(0.0, a[i, j] + b[i, j]);
                }
            }
        }
    }

    [Fact]
    public void NBodyRotationShapesAndBlocks()
    {
        double[,] two = LieAlgebraBases.TwoBodyRotation();
        double[,] three = LieAlgebraBases.ThreeBodyRotation();
        Assert.Equal(8, two.GetLength(0));
        Assert.Equal(12, three.GetLength(1));
        Assert.Equal(1.0, two[0, 1]);
        Assert.Equal(-1.0, two[1, 0]);
        Assert.Equal(1.0, two[6, 7]);
        Assert.Equal(8.0, LieAlgebraMetrics.FrobeniusInner(two, two));

        // L^2 = -I: a rotation generator of every (x, y) pair.
        double[,] sq = Mul(three, three);
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 12; j++)
            {
                Assert.Equal(i == j ? -1.0 : 0.0, sq[i, j]);
            }
        }
    }

    [Fact]
    public void ImageAffineIsAClosedOrthogonalBasisOfTheMask()
    {
        double[][,] affine = LieAlgebraBases.ImageAffine();
        Assert.Equal(6, affine.Length);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(0.0, affine[i][2, 0] + affine[i][2, 1] + affine[i][2, 2]);
            for (int j = i + 1; j < 6; j++)
            {
                Assert.Equal(0.0, LieAlgebraMetrics.FrobeniusInner(affine[i], affine[j]));
            }
        }

        Assert.Equal(0.0, LieAlgebraMetrics.BracketClosure(affine), 12);
        Assert.Equal(1.0, LieAlgebraMetrics.GeneratorCosine(LieAlgebraBases.So2(), new double[,] { { 0, 1 }, { -1, 0 } }), 12);
    }

    [Fact]
    public void Se3HasRotationsThenTranslations()
    {
        double[][,] se3 = LieAlgebraBases.Se3();
        Assert.Equal(6, se3.Length);
        Assert.Equal(-1.0, se3[2][0, 1]);
        Assert.Equal(1.0, se3[3][0, 3]);
        Assert.Equal(1.0, se3[5][2, 3]);
        Assert.All(se3, m => Assert.Equal(0.0, m[3, 0] + m[3, 1] + m[3, 2] + m[3, 3]));
    }
}

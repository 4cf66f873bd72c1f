using Semola.Core.Lie;

namespace Semola.Tests.Core;

public class SearchSpaceTests
{
    // The Frobenius norm of what is left of m after projecting it onto the span of the space's elements.
    private static double ResidualOutsideSpan(SearchSpace space, double[,] m)
    {
        var basis = LieAlgebraMetrics.Orthonormalize(space.Elements);
        int n = space.N;
        var residual = (double[,])m.Clone();
        foreach (var e in basis)
        {
            double dot = 0;
            for (int i = 0; i < n * n; i++)
            {
                dot += e[i] * m[i / n, i % n];
            }

            for (int i = 0; i < n * n; i++)
            {
                residual[i / n, i % n] -= dot * e[i];
            }
        }

        return LieAlgebraMetrics.FrobeniusNorm(residual);
    }

    [Fact]
    public void Linear2DHoldsTheLinearImageMapsAndNoTranslation()
    {
        var space = SearchSpace.Linear2D();
        Assert.Equal(("linear2d", 3, 4), (space.Name, space.N, space.FreeParameters));
        foreach (var m in new[] { LieAlgebraBases.ImageRotation(), LieAlgebraBases.ImageScaling(), LieAlgebraBases.ImageStretch(), LieAlgebraBases.ImageShear() })
        {
            Assert.True(ResidualOutsideSpan(space, m) < 1e-12);
        }

        // Translations lie wholly outside it (orthogonal to every element), as does the homogeneous row.
        Assert.Equal(1.0, ResidualOutsideSpan(space, LieAlgebraBases.ImageTranslationX()), 12);
        Assert.Equal(1.0, ResidualOutsideSpan(space, LieAlgebraBases.ImageTranslationY()), 12);
        Assert.Equal(1.0, ResidualOutsideSpan(space, new double[,] { { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 1 } }), 12);

        // The affine space holds the translations as well.
        Assert.True(ResidualOutsideSpan(SearchSpace.Affine2D(), LieAlgebraBases.ImageTranslationX()) < 1e-12);
        Assert.Equal(6, SearchSpace.Affine2D().FreeParameters);
    }

    [Fact]
    public void ParseKnowsLinear2DForImagesOnly()
    {
        Assert.Equal("linear2d", SearchSpace.Parse("linear2d", 3).Name);
        Assert.Equal(SearchSpace.Linear2D().FlatElements(), SearchSpace.Parse("linear2d", 3).FlatElements());
        var wrongOrder = Assert.Throws<ArgumentException>(() => SearchSpace.Parse("linear2d", 4));
        Assert.Contains("3x3", wrongOrder.Message);
        var unknown = Assert.Throws<ArgumentException>(() => SearchSpace.Parse("linear-2d", 3));
        Assert.Contains("linear2d", unknown.Message);
    }
}

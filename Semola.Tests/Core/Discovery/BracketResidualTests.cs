using Semola.Core.Lie;

namespace Semola.Tests.Core.Discovery;

public sealed class BracketResidualTests
{
    [Fact]
    public void ClosedAndOpenSpans()
    {
        Assert.All(LieAlgebraMetrics.BracketResiduals(LieAlgebraBases.So3()), p => Assert.Equal(0, p.Residual, 10));
        var so3 = LieAlgebraBases.So3();
        // span{L_x, L_y} is not closed: [L_x, L_y] = L_z lies entirely outside it.
        var pairs = LieAlgebraMetrics.BracketResiduals([so3[0], so3[1]]);
        var pair = Assert.Single(pairs);
        Assert.Equal((0, 1), (pair.I, pair.J));
        Assert.Equal(1.0, pair.Relative, 10);
        Assert.Equal(1.0, LieAlgebraMetrics.BracketClosure([so3[0], so3[1]]), 10);
        // Principal cosines through MathNet's SVD: so(3) inside so(1,3)'s rotation block embedding is not comparable (different
        // sizes), but a rotated copy of a basis has cosines 1.
        Assert.All(LieAlgebraMetrics.PrincipalCosines(so3, [so3[2], so3[0]]), c => Assert.InRange(c, 1 - 1e-12, 1));
    }
}

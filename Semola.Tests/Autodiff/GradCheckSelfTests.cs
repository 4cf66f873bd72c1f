using Semola.Autodiff;
using Xunit.Sdk;
using static Semola.Tests.Autodiff.GradCheck;

namespace Semola.Tests.Autodiff;

/// <summary>The gradient checker itself must catch a wrong gradient.</summary>
public class GradCheckSelfTests
{
    [Fact]
    public void DetectsAMissingGradientPath() =>
        // d/dx (x * x) = 2x, but with one factor detached the tape reports only x.
        Assert.Throws<TrueException>(() => Check(t => t.Detach().Mul(t), Rand(1, [3])));

    [Fact]
    public void DetectsAWrongScale() =>
        Assert.Throws<TrueException>(() => Check(t => t.Mul(t.Detach().Mul(0f).Add(2f)).Add(t.Detach().Mul(t.Detach())), Rand(2, [4], 0.5f, 1f)));
}

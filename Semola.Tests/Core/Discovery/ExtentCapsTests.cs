using MathNet.Numerics.LinearAlgebra;
using Semola.Core.Lie;

namespace Semola.Tests.Core.Discovery;

public sealed class ExtentCapsTests
{
    [Fact]
    public void ExpOfARotationGeneratorIsTheRotation()
    {
        var g = ExtentCaps.Exp(Matrix<double>.Build.DenseOfArray(LieAlgebraBases.So2()) * 0.7);
        Assert.Equal(Math.Cos(0.7), g[0, 0], 12);
        Assert.Equal(-Math.Sin(0.7), g[0, 1], 12);
        var big = ExtentCaps.Exp(Matrix<double>.Build.DenseIdentity(2) * 3.0);
        Assert.Equal(Math.Exp(3), big[1, 1], 9);
    }

    [Fact]
    public void HalfPeriodOfCompactDirectionsOnly()
    {
        Assert.Equal(Math.PI, ExtentCaps.HalfPeriod(LieAlgebraBases.So2())!.Value, 9);
        // A rotation about z of a unit-norm so(3) direction (omega = 1/sqrt(2) after normalising) and a mixture (omega = |w|).
        var so3 = LieAlgebraBases.So3();
        var mix = new double[3, 3];
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                mix[i, j] = 0.6 * so3[0][i, j] + 0.8 * so3[2][i, j];
            }
        }
        Assert.Equal(Math.PI, ExtentCaps.HalfPeriod(mix)!.Value, 9);
        Assert.Null(ExtentCaps.HalfPeriod(LieAlgebraBases.So13()[0])); // a boost
        Assert.Null(ExtentCaps.HalfPeriod(LieAlgebraBases.ImageTranslationX())); // nilpotent
        // A rotation about a shifted centre is compact (exp(2 pi L) = I); a rotation beside a shear is not.
        Assert.Equal(Math.PI, ExtentCaps.HalfPeriod(new double[,] { { 0, -1, 1 }, { 1, 0, 0 }, { 0, 0, 0 } })!.Value, 9);
        Assert.Null(ExtentCaps.HalfPeriod(new double[,] { { 0, -1, 0, 0 }, { 1, 0, 0, 0 }, { 0, 0, 0, 1 }, { 0, 0, 0, 0 } }));
        Assert.Null(ExtentCaps.HalfPeriod(new double[2, 2]));
    }

    [Fact]
    public void DisplacementMagnitudeOfAScaling()
    {
        var x = new float[] { 1, 2, -3, 0.5f, 4, 4 };
        // exp(t I) x - x = (e^t - 1) x: relative displacement e^t - 1 for every sample.
        double t = ExtentCaps.DisplacementMagnitude(new double[,] { { 1, 0 }, { 0, 1 } }, 0.5, x, 2);
        Assert.Equal(Math.Log(1.5), t, 5);
        // A rotation by t moves every vector by 2 sin(t / 2).
        double r = ExtentCaps.DisplacementMagnitude(LieAlgebraBases.So2(), 0.3, x, 2);
        Assert.Equal(2 * Math.Asin(0.15), r, 5);
        // The hybrid cap: half-period for the rotation, displacement 0.5 for the scaling.
        Assert.Equal(Math.PI, ExtentCaps.Hybrid(LieAlgebraBases.So2(), x, 2), 9);
        Assert.Equal(Math.Log(1.5), ExtentCaps.Hybrid(new double[,] { { 1, 0 }, { 0, 1 } }, x, 2), 5);
        Assert.Throws<ArgumentException>(() => ExtentCaps.MedianDisplacement(LieAlgebraBases.So2(), 0.1, x, 3));
    }
}

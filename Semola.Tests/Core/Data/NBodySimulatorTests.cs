using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class NBodySimulatorTests
{
    private static readonly double[] TwoMasses = [1.0, 1.0];
    private static readonly double[] ThreeMasses = [1.0, 1.0, 1.0];

    [Theory]
    [InlineData(2, 1.5, 0.3)]
    [InlineData(2, 3.0, -2.0)]
    [InlineData(3, 2.0, 1.0)]
    public void EnergyAndAngularMomentumAreConserved(int bodies, double r, double angle)
    {
        var noise = Enumerable.Range(0, bodies).Select(b => new[] { 0.05 * (b + 1), -0.04 }).ToArray();
        var masses = bodies == 2 ? TwoMasses : ThreeMasses;
        var y0 = NBodyGenerator.InitialState(bodies, r, angle, noise);
        var states = NBodySimulator.Simulate(masses, y0, 20, 20.0 / 49.0);
        double e0 = NBodySimulator.Energy(masses, y0), l0 = NBodySimulator.AngularMomentum(bodies, y0);
        foreach (var s in states)
        {
            Assert.True(Math.Abs(NBodySimulator.Energy(masses, s) - e0) <= 1e-6 * Math.Abs(e0), "energy drifted");
            Assert.True(Math.Abs(NBodySimulator.AngularMomentum(bodies, s) - l0) <= 1e-6 * Math.Abs(l0), "angular momentum drifted");
        }
    }

    [Fact]
    public void CircularSpeedGivesACircularTwoBodyOrbit()
    {
        // v = sqrt(1 / (4 r)): centripetal v^2 / r equals the attraction 1 / (2r)^2 of the other unit mass.
        double r = 2.0;
        var y0 = NBodyGenerator.InitialState(2, r, 0.7);
        Assert.Equal(1.0 / (4 * r * r), NBodyGenerator.TwoBodyCircularSpeed(r) * NBodyGenerator.TwoBodyCircularSpeed(r) / r, 12);
        foreach (var s in NBodySimulator.Simulate(TwoMasses, y0, 20, 20.0 / 49.0))
        {
            Assert.Equal(r, Math.Sqrt(s[0] * s[0] + s[1] * s[1]), 7);
            Assert.Equal(-s[0], s[4], 9);
            Assert.Equal(-s[1], s[5], 9);
        }
    }

    [Fact]
    public void EquilateralTriangleRotatesRigidly()
    {
        double r = 2.0;
        var states = NBodySimulator.Simulate(ThreeMasses, NBodyGenerator.InitialState(3, r, 0.0), 10, 0.4);
        double omega = NBodyGenerator.ThreeBodyCircularSpeed(r) / r;
        for (int t = 0; t < states.Length; t++)
        {
            double a = omega * 0.4 * t;
            Assert.Equal(r * Math.Cos(a), states[t][0], 6);
            Assert.Equal(r * Math.Sin(a), states[t][1], 6);
        }
    }

    [Fact]
    public void IntegratorHitsOutputTimesOnAKnownSolution()
    {
        // Harmonic oscillator y'' = -y: (cos t, -sin t).
        var times = new[] { 0.0, 0.1, 1.0, 2.5, 2.5, 7.0 };
        var ys = NBodyIntegrator.Integrate((_, y, d) => { d[0] = y[1]; d[1] = -y[0]; }, new double[] { 1, 0 }, times, 1e-11, 1e-13);
        for (int i = 0; i < times.Length; i++)
        {
            Assert.Equal(Math.Cos(times[i]), ys[i][0], 8);
            Assert.Equal(-Math.Sin(times[i]), ys[i][1], 8);
        }
    }

    [Fact]
    public void RotatedInitialStateGivesTheRotatedTrajectory()
    {
        var noise = new[] { new[] { 0.03, -0.02 }, new[] { 0.0, 0.0 } };
        var y0 = NBodyGenerator.InitialState(2, 2.2, 0.4, noise);
        double theta = 1.1, c = Math.Cos(theta), s = Math.Sin(theta);
        double[] Rotate(double[] y)
        {
            var r = new double[y.Length];
            for (int k = 0; k < y.Length; k += 2)
            {
                r[k] = c * y[k] - s * y[k + 1];
                r[k + 1] = s * y[k] + c * y[k + 1];
            }
            return r;
        }
        var original = NBodySimulator.Simulate(TwoMasses, y0, 20, 20.0 / 49.0);
        var rotated = NBodySimulator.Simulate(TwoMasses, Rotate(y0), 20, 20.0 / 49.0);
        for (int t = 0; t < 20; t++)
        {
            var expected = Rotate(original[t]);
            for (int k = 0; k < 8; k++)
            {
                Assert.Equal(expected[k], rotated[t][k], 8);
            }
        }
    }

    [Fact]
    public void GenerationIsSeededAndReproducible()
    {
        var o = new NBodyGeneratorOptions();
        var a = NBodyGenerator.Build(o, RotationVariant.Ood, 12, 8, seed: 5);
        var b = NBodyGenerator.Build(o, RotationVariant.Ood, 12, 8, seed: 5);
        var c = NBodyGenerator.Build(o, RotationVariant.Ood, 12, 8, seed: 6);
        Assert.Equal(a.Train.Data, b.Train.Data);
        Assert.Equal(a.Test.Data, b.Test.Data);
        Assert.NotEqual(a.Train.Data, c.Train.Data);
        Assert.Equal(12, a.Train.Count);
        Assert.Equal(20, a.Train.Steps);
        Assert.Equal(8, a.Train.StateSize);
        for (int n = 0; n < a.Train.Count; n++)
        {
            var traj = a.Train.Trajectory(n);
            double r = Math.Sqrt(traj[0] * traj[0] + traj[1] * traj[1]);
            Assert.InRange(r, 1.5, 3.0);
            Assert.Equal(-traj[0], traj[4]);
            Assert.Equal(-traj[3], traj[7]);
        }
    }

    [Fact]
    public void OodSplitKeepsTrainAnglesInTheTrainRange()
    {
        var o = new NBodyGeneratorOptions { Steps = 3 };
        var generated = NBodyGenerator.Build(o, RotationVariant.Ood, 40, 30, seed: 2);
        for (int n = 0; n < generated.Train.Count; n++)
        {
            Assert.True(NBodySplit.InOodTrainRange(generated.Train.InitialAngleDegrees(n)));
        }
        for (int n = 0; n < generated.Test.Count; n++)
        {
            Assert.False(NBodySplit.InOodTrainRange(generated.Test.InitialAngleDegrees(n)));
        }

        // Splitting an id set by angle does the same, and a random split keeps every trajectory once.
        var all = NBodyGenerator.Generate(o, 60, -180, 180, seed: 3);
        var split = NBodySplit.ByInitialAngle(all);
        Assert.Equal(60, split.Train.Count + split.Test.Count);
        Assert.True(split.Train.Count > 10 && split.Test.Count > 10);
        for (int n = 0; n < split.Train.Count; n++)
        {
            double deg = split.Train.InitialAngleDegrees(n);
            Assert.True(deg > -180 && deg <= 0.6, $"train angle {deg}");
        }
        for (int n = 0; n < split.Test.Count; n++)
        {
            Assert.False(NBodySplit.InOodTrainRange(split.Test.InitialAngleDegrees(n)));
        }
        var random = NBodySplit.Random(all, 0.5, seed: 1);
        Assert.Equal(30, random.Train.Count);
        Assert.Equal(30, random.Test.Count);
    }

    [Fact]
    public void WindowsCoverEveryStartStep()
    {
        var t = NBodyGenerator.Generate(new NBodyGeneratorOptions(), 3, -180, 180, seed: 1);
        var w = NBodyWindows.Build(t, 5, 5);
        Assert.Equal(3 * 11, w.Count);
        Assert.Equal(40, w.InputSize);
        Assert.Equal(40, w.OutputSize);
        // Window 12 is trajectory 1 starting at step 1: x = states 1..5, y = states 6..10.
        Assert.Equal(t.Trajectory(1)[8], w.X[12 * 40]);
        Assert.Equal(t.Trajectory(1)[6 * 8], w.Y[12 * 40]);
        Assert.Throws<ArgumentException>(() => NBodyWindows.Build(t, 15, 6));
    }
}

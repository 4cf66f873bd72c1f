using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Discovery;
using Semola.Core.Lie;
using Semola.Core.Tasks;
using Semola.Kernels;

namespace Semola.Tests.Core.Discovery;

public sealed class SymmetryTestsTests
{
    /// <summary>A fixed differentiable function as a model.</summary>
    private sealed class FunctionModule(Func<Tensor, Tensor> f) : Module
    {
        public override Tensor Forward(Tensor input) => f(input);
    }

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Gaussian 2-vectors with y = |x|^2 + noise, and the model that fits it in the task's standardised units.</summary>
    private static (TabularTask Task, Module Model) NormTask(int rows, int seed)
    {
        var rng = new Random(seed);
        var x = new float[rows * 2];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            x[2 * r] = (float)Normal(rng);
            x[2 * r + 1] = (float)Normal(rng);
            y[r] = x[2 * r] * x[2 * r] + x[2 * r + 1] * x[2 * r + 1] + (float)(0.1 * Normal(rng));
        }
        var task = TabularTask.Build(x, 2, y, 1, null, 2, false, 0.5, 0.1, 8, seed);
        // Least squares of the standardised target on |x|^2 (of the scaled inputs) over the training split.
        var tr = task.Train;
        var n2 = Enumerable.Range(0, tr.Count).Select(i => (double)tr.Inputs[2 * i] * tr.Inputs[2 * i] + (double)tr.Inputs[2 * i + 1] * tr.Inputs[2 * i + 1]).ToArray();
        var ty = tr.Targets!;
        double mx = n2.Average(), my = ty.Average(v => (double)v);
        double a = n2.Select((v, i) => (v - mx) * (ty[i] - my)).Sum() / n2.Sum(v => (v - mx) * (v - mx));
        double b = my - a * mx;
        var model = new FunctionModule(t => t.Square().Sum(1, keepDims: true).Mul((float)a).Add((float)b));
        return (task, model);
    }

    [Fact]
    public void TargetTestAcceptsTheRotationAndRejectsAScaling()
    {
        var (task, model) = NormTask(600, 3);
        var rotation = LieAlgebraBases.So2();
        double tau = SymmetryTests.TestMagnitude(rotation, task.Test);
        Assert.Equal(2 * Math.Asin(0.15), tau, 4); // median relative displacement 0.3
        var kept = SymmetryTests.TargetTest(model, task, task.Test, rotation, tau, 2.0, 1, Device.Cpu);
        Assert.InRange(kept.Ratio, 0.999, 1.001);
        Assert.True(kept.PValue > 0.5, $"p = {kept.PValue}");
        Assert.InRange(kept.RatioLow, 0.99, 1.0 + 1e-9);

        var scaling = new double[,] { { 1 / Math.Sqrt(2), 0 }, { 0, 1 / Math.Sqrt(2) } };
        double ts = SymmetryTests.TestMagnitude(scaling, task.Test);
        var broken = SymmetryTests.TargetTest(model, task, task.Test, scaling, ts, 2.0, 1, Device.Cpu);
        Assert.True(broken.Ratio > 10, $"ratio {broken.Ratio}");
        Assert.True(broken.PValue < 1e-6, $"p = {broken.PValue}");
        Assert.True(broken.RatioLow > 2);
    }

    [Fact]
    public void DistributionTestIsCalibratedUnderTheNullAndPowerfulOtherwise()
    {
        var (task, _) = NormTask(400, 5);
        var rotation = LieAlgebraBases.So2();
        double tau = SymmetryTests.TestMagnitude(rotation, task.Test);
        // Gaussian inputs and an invariant target: rotations keep the distribution of (x, y).
        int rejections = 0;
        const int trials = 20;
        for (int s = 0; s < trials; s++)
        {
            var r = SymmetryTests.DistributionTest(task, task.Test, rotation, tau, 100 + s, Device.Cpu, epochs: 10, hidden: 16);
            Assert.Equal(100, r.Samples);
            rejections += r.PValue < 0.05 ? 1 : 0;
        }
        // Expected 1 of 20 at level 0.05; 5 or more has probability 0.003 under a calibrated test.
        Assert.True(rejections <= 4, $"{rejections} of {trials} null trials rejected at 0.05");

        var (large, _) = NormTask(2000, 6);
        var scaling = new double[,] { { 1, 0 }, { 0, 1 } };
        var shift = SymmetryTests.DistributionTest(large, large.Test, scaling, 1.0, 7, Device.Cpu, epochs: 100, hidden: 64);
        Assert.True(shift.PValue < 1e-3, $"p = {shift.PValue}, accuracy {shift.Accuracy}");
    }

    [Fact]
    public void SpectrumCountsTheSymmetriesOfAnInvariantAndAnEquivariantFunction()
    {
        var rng = new Random(2);
        // f(x) = |x_1|^2 + |x_2|^2 on two 3-vectors: invariant under O(3), so(3) is its null space.
        var x = Enumerable.Range(0, 300 * 6).Select(_ => (float)Normal(rng)).ToArray();
        var y = new float[300];
        var task = TabularTask.Build(x, 6, y, 1, null, 3, false, 0.5, 0.1, 8, 1);
        var model = new FunctionModule(t => t.Square().Sum(1, keepDims: true));
        var spectrum = SymmetrySpectrum.Compute(model, task, task.Test, Device.Cpu);
        Assert.Equal(3, spectrum.Count);
        Assert.True(spectrum.Values[2] < 1e-5 && spectrum.Values[3] > 0.1, string.Join(", ", spectrum.Values));
        Assert.Equal(1.0, LieAlgebraMetrics.SubspaceSimilarity(spectrum.Directions, LieAlgebraBases.So3()), 6);

        // g(x) = |x_1|^2 x_2 on two 2-vectors, an equivariant 2-vector: so(2).
        var x2 = Enumerable.Range(0, 300 * 4).Select(_ => (float)Normal(rng)).ToArray();
        var y2 = new float[300 * 2];
        for (int r = 0; r < 300; r++)
        {
            y2[2 * r] = 1 + (float)Normal(rng);
            y2[2 * r + 1] = (float)Normal(rng);
        }
        var eq = TabularTask.Build(x2, 4, y2, 2, null, 2, true, 0.5, 0.1, 8, 1);
        var eqModel = new FunctionModule(t =>
        {
            var first = t.Narrow(1, 0, 2);
            return t.Narrow(1, 2, 2).Mul(first.Square().Sum(1, keepDims: true));
        });
        var eqSpectrum = SymmetrySpectrum.Compute(eqModel, eq, eq.Test, Device.Cpu);
        Assert.Equal(1, eqSpectrum.Count);
        Assert.Equal(1.0, LieAlgebraMetrics.SubspaceSimilarity(eqSpectrum.Directions, [LieAlgebraBases.So2()]), 6);
        Assert.Equal(0, SymmetrySpectrum.Count([0.2, 0.3, 0.35, 0.4]));
        Assert.Equal(2, SymmetrySpectrum.Count([0.001, 0.002, 0.3, 0.4]));
    }
}

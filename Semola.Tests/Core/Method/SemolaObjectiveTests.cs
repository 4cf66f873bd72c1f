using Semola.Autodiff;
using Semola.Autodiff.Nn;
using Semola.Core.Actions;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Kernels.Cpu;

namespace Semola.Tests.Core.Method;

public class SemolaObjectiveTests
{
    /// <summary>f(x) = x W^T with a fixed W (no bias).</summary>
    private sealed class FixedLinear : Module
    {
        private readonly Tensor _w;

        public FixedLinear(float[] w, int outF, int inF) => _w = RegisterParameter("w", Tensor.FromArray(w, [outF, inF]));

        public override Tensor Forward(Tensor input) => input.MatMul(_w.Transpose());
    }

    private static double[] MatVec(double[] m, int n, double[] v)
    {
        var r = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                r[i] += m[i * n + j] * v[j];
            }
        }
        return r;
    }

    [Fact]
    public void RegressionTermsMatchHandComputedValues()
    {
        var space = SearchSpace.Full(2);
        var options = new SemolaOptions { LambdaEq = 0.5f, LambdaDist = 0f, LambdaExt = 0.1f, LambdaBasis = 0.01f, Beta = 0.2f, ExtentCap = 0.8f, InitialExtent = 1.2f };
        var objective = new SemolaObjective(options, TaskKind.Regression, new VectorAction(), new VectorAction());
        var augmenter = new LieAugmenter(space, 1, seed: 5, initialExtent: 1.2f);
        var twin = new LieAugmenter(space, 1, seed: 5, initialExtent: 1.2f);
        var wData = new float[] { 0.9f, -0.2f, 0.3f, 1.1f };
        var model = new FixedLinear(wData, 2, 2);
        float[] xs = [1f, 2f, -0.5f, 0.7f], ys = [0.3f, -1f, 2f, 0.4f];
        var batch = new Batch(Tensor.FromArray(xs, [2, 2]), Y: Tensor.FromArray(ys, [2, 2]));

        var terms = objective.Compute(model, augmenter, null, batch);

        // By hand: the twin draws the same u; g_b = exp(a u_b Lhat).
        var u = twin.DrawUniform(2).ToArray();
        var dir = twin.DirectionMatrices()[0];
        double a = 1.2;
        double task = 0, taskAug = 0, eq = 0;
        for (int b = 0; b < 2; b++)
        {
            var m = new double[4];
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    m[i * 2 + j] = a * u[b] * dir[i, j];
                }
            }
            var g = new double[4];
            CpuMatrixExp.Forward(m, 1, 2, g);
            var w = wData.Select(v => (double)v).ToArray();
            double[] x = [xs[b * 2], xs[b * 2 + 1]], y = [ys[b * 2], ys[b * 2 + 1]];
            var fx = MatVec(w, 2, x);
            var gx = MatVec(g, 2, x);
            var fgx = MatVec(w, 2, gx);
            var gy = MatVec(g, 2, y);
            var gfx = MatVec(g, 2, fx);
            for (int i = 0; i < 2; i++)
            {
                task += (fx[i] - y[i]) * (fx[i] - y[i]) / 4;
                taskAug += (fgx[i] - gy[i]) * (fgx[i] - gy[i]) / 4;
                eq += (fgx[i] - gfx[i]) * (fgx[i] - gfx[i]) / 4;
            }
        }
        double l1 = 0;
        foreach (double v in dir)
        {
            l1 += Math.Abs(v);
        }
        double ext = Math.Min(a, 0.8);
        double total = task + taskAug + 0.5 * eq - 0.1 * ext + 0.01 * (0 + 0.2 * l1);

        Assert.Equal(task, terms.TaskOriginal.Item(), 4);
        Assert.Equal(taskAug, terms.TaskAugmented.Item(), 4);
        Assert.Equal(eq, terms.Equivariance.Item(), 4);
        Assert.Equal(ext, terms.ExtentReward.Item(), 4);
        Assert.Equal(0.0, terms.Orthogonality.Item(), 5);
        Assert.Equal(l1, terms.Sparsity.Item(), 4);
        Assert.Equal(0f, terms.Distribution.Item());
        Assert.Equal(total, terms.Total.Item(), 4);
    }

    [Fact]
    public void ClassificationUsesCrossEntropyAndKl()
    {
        var objective = new SemolaObjective(new SemolaOptions { LambdaDist = 0f }, TaskKind.Classification, new VectorAction(), new TrivialAction());
        var augmenter = new LieAugmenter(SearchSpace.Full(3), 1, seed: 2);
        var model = new FixedLinear([1, 0, 0, 0, 2, 0, 0, 0, -1, 0.5f, 0.5f, 0.5f], 4, 3);
        var batch = new Batch(Tensor.FromArray([0.2f, -0.4f, 1f, 1f, 0.3f, -0.7f], [2, 3]), Labels: [1, 3]);
        var terms = objective.Compute(model, augmenter, null, batch);
        var fx = model.Forward(batch.X);
        var fgx = model.Forward(terms.AugmentedInputs);
        Assert.Equal(Losses.CrossEntropy(fx, [1, 3]).Item(), terms.TaskOriginal.Item(), 5);
        Assert.Equal(Losses.CrossEntropy(fgx, [1, 3]).Item(), terms.TaskAugmented.Item(), 5);
        // KL(p(x) || p(g.x)) by hand.
        var px = fx.Softmax(1).ToArray();
        var pgx = fgx.Softmax(1).ToArray();
        double kl = 0;
        for (int i = 0; i < px.Length; i++)
        {
            kl += px[i] * Math.Log(px[i] / pgx[i]) / 2;
        }
        Assert.Equal(kl, terms.Equivariance.Item(), 4);
    }

    [Fact]
    public void DistributionTermIsBceAgainstRealAndReachesOnlyTheAugmenter()
    {
        var options = new SemolaOptions { LambdaDist = 1f, LambdaEq = 0f, LambdaExt = 0f, LambdaBasis = 0f };
        var objective = new SemolaObjective(options, TaskKind.Regression, new VectorAction(), new VectorAction());
        var augmenter = new LieAugmenter(SearchSpace.Full(2), 1, seed: 3);
        var disc = new Discriminator(4, 8, new Random(1));
        var model = new FixedLinear([1, 0, 0, 1], 2, 2);
        var batch = new Batch(Tensor.FromArray([1f, 2f, -0.5f, 0.7f], [2, 2]), Y: Tensor.FromArray([0.3f, -1f, 2f, 0.4f], [2, 2]));
        var terms = objective.Compute(model, augmenter, disc, batch);
        var logits = disc.Forward(objective.DiscriminatorInput(terms.ProbeInputs, terms.ProbeTargets)).ToArray();
        double bce = logits.Average(l => Math.Log(1 + Math.Exp(-l)));
        Assert.Equal(bce, terms.Distribution.Item(), 5);
        var grads = terms.Distribution.Backward();
        Assert.NotNull(grads.Get(augmenter.Weight));
        Assert.Null(grads.Get(model.Parameters()[0]));
    }

    [Fact]
    public void DiscriminatorLearnsToTellShiftedData()
    {
        var disc = new Discriminator(2, 16, new Random(4));
        var optimizer = Discriminator.CreateOptimizer(disc, 1e-2f);
        var rng = new Random(5);
        float loss = 0;
        for (int i = 0; i < 200; i++)
        {
            using var scope = new TensorScope();
            var real = Tensor.Normal([32, 2], 0, 0.3f, rng);
            var fake = Tensor.Normal([32, 2], 2, 0.3f, rng);
            loss = disc.TrainStep(real, fake, optimizer).Item();
        }
        Assert.True(loss < 0.1f, $"discriminator loss {loss}");
        Assert.Equal(Math.Log(2), Discriminator.BceReal(Tensor.Zeros([3])).Item(), 5);
        Assert.Equal(Math.Log(1 + Math.E), Discriminator.BceFake(Tensor.Ones([3])).Item(), 5);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new SemolaOptions { LambdaEq = -1f }.Validate());
        Assert.Throws<ArgumentException>(() => new SemolaOptions { Generators = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new SemolaOptions { ProbeExtent = 0f }.Validate());
        Assert.Throws<ArgumentException>(() => new SemolaOptions { LambdaExt = float.NaN }.Validate());
        Assert.Throws<ArgumentException>(() => new SemolaOptions { ExtentCap = -1f }.Validate());
    }

    [Fact]
    public void CopiesAugmentEverySampleKTimesAndTheDefaultCapFollowsTheDirection()
    {
        var options = new SemolaOptions { LambdaDist = 0f, LambdaExt = 1f, InitialExtent = 50f };
        var objective = new SemolaObjective(options, TaskKind.Regression, new VectorAction(), new VectorAction());
        var augmenter = new LieAugmenter(SearchSpace.Full(2), 1, seed: 3, initialExtent: 50f);
        var model = new FixedLinear([1, 0, 0, 1], 2, 2);
        var batch = new Batch(Tensor.FromArray([1f, 2f, -0.5f, 0.7f], [2, 2]), Y: Tensor.FromArray([0.3f, -1f, 2f, 0.4f], [2, 2]));
        var terms = objective.Compute(model, augmenter, null, batch, copies: 3);
        Assert.Equal([6, 2], terms.AugmentedInputs.Shape);
        // The extent (50) is above the cap, so the reward is the cap pi / ||Lhat||_2 of the current direction.
        Assert.Equal(LieAugmenter.SpectralCap(augmenter.DirectionMatrices()[0]), terms.ExtentReward.Item(), 4);
    }
}

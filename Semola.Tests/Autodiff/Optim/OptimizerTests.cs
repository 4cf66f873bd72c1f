using Semola.Autodiff;
using Semola.Autodiff.Optim;
using static Semola.Tests.Autodiff.TestTensors;

namespace Semola.Tests.Autodiff.Optim;

public class OptimizerTests
{
    private static readonly double[] Start = [1.0, -2.0, 0.5];
    private static readonly double[] Coef = [0.5, 1.5, -3.0];

    // loss = sum(coef * p^2), gradient 2 * coef * p.
    private static Gradients Grad(Tensor p) => p.Square().Mul(Tensor.FromArray(Coef.Select(c => (float)c).ToArray())).Sum().Backward();

    private static double[] HostGrad(double[] p) => p.Select((v, i) => 2 * Coef[i] * v).ToArray();

    private static Tensor Param()
    {
        var p = Tensor.FromArray(Start.Select(v => (float)v).ToArray());
        p.RequiresGrad = true;
        return p;
    }

    private static void Run(Optimizer opt, Tensor p, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            opt.Step(Grad(p));
        }
    }

    [Theory]
    [InlineData(false, 0f, 0.01f)]
    [InlineData(true, 0f, 0.01f)]
    [InlineData(false, 0.1f, 0f)]
    public void Adam_MatchesClosedForm(bool decoupled, float l2, float decay)
    {
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        var p = Param();
        Optimizer opt = decoupled ? new AdamW([p], (float)lr, weightDecay: decay) : new Adam([p], (float)lr, weightDecay: l2);
        Run(opt, p, 4);
        var x = (double[])Start.Clone();
        var m = new double[3];
        var v = new double[3];
        for (int t = 1; t <= 4; t++)
        {
            var g = HostGrad(x);
            for (int i = 0; i < 3; i++)
            {
                double gi = g[i] + (decoupled ? 0 : l2 * x[i]);
                if (decoupled)
                {
                    x[i] *= 1 - lr * decay;
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                double mh = m[i] / (1 - Math.Pow(b1, t)), vh = v[i] / (1 - Math.Pow(b2, t));
                x[i] -= lr * mh / (Math.Sqrt(vh) + eps);
            }
        }
        Close(x, p.ToArray(), 2e-5);
        Assert.Equal(4, opt.StepCount);
    }

    [Theory]
    [InlineData(0f, 0f, false, 0f)]
    [InlineData(0.9f, 0f, false, 0f)]
    [InlineData(0.9f, 0f, true, 0.01f)]
    [InlineData(0.5f, 0.3f, false, 0.05f)]
    public void Sgd_MatchesClosedForm(float momentum, float dampening, bool nesterov, float decay)
    {
        const double lr = 0.05;
        var p = Param();
        var opt = new Sgd([p], (float)lr, momentum, dampening, decay, nesterov);
        Run(opt, p, 5);
        var x = (double[])Start.Clone();
        var buf = new double[3];
        for (int t = 1; t <= 5; t++)
        {
            var g = HostGrad(x);
            for (int i = 0; i < 3; i++)
            {
                double gi = g[i] + decay * x[i];
                if (momentum != 0)
                {
                    buf[i] = t == 1 ? gi : momentum * buf[i] + (1 - dampening) * gi;
                    gi = nesterov ? gi + momentum * buf[i] : buf[i];
                }
                x[i] -= lr * gi;
            }
        }
        Close(x, p.ToArray(), 1e-5);
    }

    [Fact]
    public void Step_AcceptsExpandedGradientsAndSkipsParametersWithout()
    {
        var p = Param();
        var unused = Param();
        var grads = p.Sum().Backward(); // gradient of p is an expanded (stride 0) view of ones
        Assert.False(grads[p].IsContiguous);
        new Sgd([p, unused], 0.5f).Step(grads);
        Close(Start.Select(v => v - 0.5).ToArray(), p.ToArray(), 1e-6);
        Close(Start, unused.ToArray(), 0);
    }

    [Fact]
    public void Linear_WeightGradientIsATransposedView_AndStillUpdates()
    {
        var lin = new Semola.Autodiff.Nn.Linear(3, 2, new Random(0));
        var before = lin.Weight.ToArray();
        var grads = lin.Forward(Tensor.Ones([4, 3])).Sum().Backward();
        var g = grads[lin.Weight].ToArray();
        new Sgd(lin.Parameters(), 1f).Step(grads);
        Close(before.Select((w, i) => (double)w - g[i]).ToArray(), lin.Weight.ToArray(), 1e-6);
        Assert.All(g, v => Assert.Equal(4f, v));
    }

    [Fact]
    public void Constructor_RejectsBadParameters()
    {
        var notLeaf = Param().Mul(2f);
        Assert.Throws<ArgumentException>(() => new Adam([notLeaf]));
        var p = Param();
        Assert.Throws<ArgumentException>(() => new Sgd([p, p], 0.1f));
        Assert.Throws<ArgumentException>(() => new Sgd([p], 0.1f, 0f, 0f, 0f, nesterov: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([p], beta1: 1f));
    }

    [Fact]
    public void Schedules_GiveTheDocumentedRates()
    {
        var step = new StepLr(0.1f, 10, 0.5f);
        Assert.Equal(0.1f, step.LearningRate(0));
        Assert.Equal(0.1f, step.LearningRate(9));
        Assert.Equal(0.05f, step.LearningRate(10), 6);
        Assert.Equal(0.025f, step.LearningRate(25), 6);
        var cos = new CosineLr(1f, 100, 0.1f);
        Assert.Equal(1f, cos.LearningRate(0), 6);
        Assert.Equal(0.55f, cos.LearningRate(50), 6);
        Assert.Equal(0.1f, cos.LearningRate(100), 6);
        Assert.Equal(0.1f, cos.LearningRate(500), 6);
        Assert.Equal(0.1f + 0.9f * 0.5f * (1f + MathF.Cos(MathF.PI * 0.25f)), cos.LearningRate(25), 5);
        var warm = new LinearWarmup(new CosineLr(1f, 100), 4);
        Assert.Equal(0.25f, warm.LearningRate(0), 6);
        Assert.Equal(0.75f * new CosineLr(1f, 100).LearningRate(2), warm.LearningRate(2), 6);
        Assert.Equal(new CosineLr(1f, 100).LearningRate(4), warm.LearningRate(4), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => step.LearningRate(-1));
        var opt = new Sgd([Param()], 1f);
        Assert.Equal(0.05f, step.Apply(opt, 10), 6);
        Assert.Equal(0.05f, opt.LearningRate, 6);
    }

    [Fact]
    public void ClipGradNorm_ScalesToMaxNormAndReturnsTheNorm()
    {
        var a = Tensor.FromArray([3f, 0f]);
        var b = Tensor.FromArray([0f, 4f, 0f]);
        a.RequiresGrad = true;
        b.RequiresGrad = true;
        // gradients: a -> [3, 0] (from 0.5 a^2), b -> [1, 1, 1] expanded, then scaled: norm sqrt(9 + 3)
        var grads = a.Square().Mul(0.5f).Sum().Add(b.Sum()).Backward();
        float norm = GradClip.ClipGradNorm(grads, 1f, [a, b]);
        Assert.Equal(Math.Sqrt(12), norm, 5);
        var ga = grads[a].ToArray();
        var gb = grads[b].ToArray();
        double after = Math.Sqrt(ga.Concat(gb).Sum(v => (double)v * v));
        Assert.Equal(1.0, after, 4);
        Close([3 / Math.Sqrt(12), 0], ga, 1e-5);

        var small = a.Square().Mul(0.5f).Sum().Backward();
        float n2 = GradClip.ClipGradNorm(small, 10f);
        Assert.Equal(3f, n2, 5);
        Assert.Equal([3f, 0f], small[a].ToArray());
    }
}

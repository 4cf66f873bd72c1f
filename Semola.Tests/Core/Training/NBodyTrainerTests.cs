using Semola.Autodiff;
using Semola.Core.Actions;
using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Tests.Core.Training;

public class NBodyTrainerTests
{
    private static (NBodyWindows Train, NBodyWindows Test) Data(int train = 24, int test = 8)
    {
        var split = NBodyGenerator.Build(new NBodyGeneratorOptions(), RotationVariant.Ood, train, test, seed: 4);
        return (NBodyWindows.Build(split.Train, 1, 1), NBodyWindows.Build(split.Test, 1, 1));
    }

    private static NBodyTrainerOptions Options(NBodyMethod method) => new()
    {
        Method = method,
        Epochs = 2,
        BatchSize = 32,
        Seed = 3,
        Hidden = 32,
        Baseline = new NBodyBaselineOptions { DiscoveryEpochs = 1 },
    };

    private static float[][] State(NBodyTrainer t)
    {
        var tensors = t.Model.Parameters().ToList();
        if (t.Augmenter is not null)
        {
            tensors.AddRange(t.Augmenter.Parameters());
        }
        if (t.Discriminator is not null)
        {
            tensors.AddRange(t.Discriminator.Parameters());
        }
        return tensors.Select(p => p.ToArray()).ToArray();
    }

    [Theory]
    [InlineData(NBodyMethod.Semola, false)]
    [InlineData(NBodyMethod.Semola, true)]
    [InlineData(NBodyMethod.Base, false)]
    [InlineData(NBodyMethod.GtAug, true)]
    [InlineData(NBodyMethod.AugerinoPlus, false)]
    [InlineData(NBodyMethod.LieGan, true)]
    [InlineData(NBodyMethod.Equivariant, false)]
    public void ResumeContinuesBitIdentically(NBodyMethod method, bool cosine)
    {
        var (train, test) = Data();
        NBodyTrainerOptions Options(NBodyMethod m) => NBodyTrainerTests.Options(m) with { CosineSchedule = cosine };
        var straight = new NBodyTrainer(Options(method), train, test);
        straight.RunEpoch();
        straight.RunEpoch();
        Assert.All(straight.History, r => Assert.True(double.IsFinite(r.TestMse) && double.IsFinite(r.EquivarianceError)));

        string dir = Path.Combine(Path.GetTempPath(), "semola-nbody-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = new NBodyTrainer(Options(method), train, test);
            first.RunEpoch();
            TrainerCheckpoint.Save(dir, first);
            var resumed = new NBodyTrainer(Options(method), train, test);
            Assert.Equal(1, TrainerCheckpoint.LoadLatest(dir, resumed));
            resumed.RunEpoch();
            var a = State(straight);
            var b = State(resumed);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
            Assert.Equal(straight.History[1].TestMse, resumed.History[1].TestMse);
            if (method == NBodyMethod.LieGan)
            {
                Assert.Equal("discovery", straight.History[0].Phase);
                Assert.Equal("train", straight.History[1].Phase);
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void CanonicalModelIsExactlyEquivariant()
    {
        var model = new NBodyCanonicalModel(new Semola.Autodiff.Nn.Mlp([16, 8, 8], new Random(1)), 2, 8);
        var x = Tensor.Normal([5, 16], 0f, 1f, new Random(2));
        var g = new GroundTruthGroup(LieAlgebraBases.TwoBodyRotation(), MathF.PI).Sample(5, new Random(3), Semola.Kernels.Device.Cpu);
        var action = new VectorAction();
        var lhs = model.Forward(action.Apply(g, x)).ToArray();
        var rhs = action.Apply(g, model.Forward(x)).ToArray();
        for (int i = 0; i < lhs.Length; i++)
        {
            Assert.Equal(rhs[i], lhs[i], 4);
        }
    }

    [Fact]
    public void ShortSemolaRunRaisesTheGeneratorCosine()
    {
        var (train, test) = Data(300, 20);
        var options = Options(NBodyMethod.Semola) with { Epochs = 5, BatchSize = 64, Hidden = 128 };
        var trainer = new NBodyTrainer(options, train, test);
        double start = LieAlgebraMetrics.BestMatchCosine(trainer.Augmenter!.DirectionMatrices(), LieAlgebraBases.TwoBodyRotation());
        for (int e = 0; e < 5; e++)
        {
            trainer.RunEpoch();
        }
        double end = trainer.History[^1].GeneratorCosine;
        Assert.True(end > 0.8 && end > start + 0.3, $"cosine went from {start:F3} to {end:F3}");
    }
}

using Semola.Core.Data;
using Semola.Core.Lie;
using Semola.Core.Method;
using Semola.Core.Tasks;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Tests.Core.Training;

public class TrainerTests
{
    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var task in new[] { "images", "nbody", "molecules" })
        {
            foreach (var method in MethodCatalog.Names.Where(m => task != "molecules" || m != "equivariant"))
            {
                data.Add(task, method);
            }
        }
        return data;
    }

    internal static SymmetryTask Task(string name) => name switch
    {
        "images" => TinyImages(),
        "nbody" => TinyNBody(),
        "molecules" => MoleculeTask.Build(MoleculeSplit.ByCounts(SyntheticMolecules.Generate(8, 5), 4, 2, 5), "gap", centred: false, hidden: 8),
        _ => throw new ArgumentException(name),
    };

    private static RotatedMnistTask TinyImages()
    {
        ImageDataSet Make(int n, int seed)
        {
            var rng = new Random(seed);
            var pixels = new float[n * 16];
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = (float)rng.NextDouble();
            }
            return new ImageDataSet(pixels, Enumerable.Range(0, n).Select(i => i % 4).ToArray(), 1, 4, 4);
        }
        return RotatedMnistTask.FromSplits(Make(4, 1), Make(2, 2), Make(2, 3));
    }

    private static NBodyTask TinyNBody()
    {
        var split = NBodyGenerator.Build(new NBodyGeneratorOptions { Steps = 4 }, RotationVariant.Ood, 6, 3, seed: 4);
        return NBodyTask.Build(split.Train, split.Test, null, 1, 1, hidden: 8, seed: 4, validationFraction: 0.3);
    }

    internal static (TrainingOptions Training, MethodOptions Methods) Options(Device device, int epochs = 2) =>
        (new TrainingOptions { Epochs = epochs, BatchSize = 8, Seed = 3, Device = device, ProgressLinesPerEpoch = 0, ReadEvery = 2 },
         new MethodOptions { DiscoveryEpochs = 1, Semola = new SemolaOptions { DiscriminatorWidth = 8 }, LieGanDiscriminatorWidth = 8 });

    private static Trainer Make(SymmetryTask task, string method, Device device, int epochs = 2, int copies = 1, int tta = 0)
    {
        var (training, methods) = Options(device, epochs);
        return new Trainer(task, MethodCatalog.Create(method), training, methods with { Copies = copies, TestTimeCopies = tta });
    }

    private static float[][] State(Trainer t) => t.Modules.SelectMany(m => m.Module.Parameters().Concat(m.Module.NamedBuffers().Select(b => b.Value))).Select(p => p.ToArray()).ToArray();

    [Fact]
    public void LieGanDiscriminatorSeesTheClassOfAnImage()
    {
        var images = Task("images");
        var method = (LieGanMethod)MethodCatalog.Create("liegan");
        var (training, methods) = Options(Device.Cpu, 1);
        _ = new Trainer(images, method, training, methods);
        Assert.Equal(images.Train.SampleSize + images.Classes, method.Discriminator.InputSize);
        var nbody = Task("nbody");
        var regression = (LieGanMethod)MethodCatalog.Create("liegan");
        _ = new Trainer(nbody, regression, training, methods);
        Assert.Equal(nbody.Train.SampleSize + nbody.Train.TargetSize, regression.Discriminator.InputSize);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public void ResumeContinuesBitIdentically(string taskName, string method)
    {
        var task = Task(taskName);
        var straight = Make(task, method, Device.Cpu);
        while (straight.History.Count < straight.TotalEpochs)
        {
            straight.RunEpoch();
        }
        Assert.NotNull(straight.History[^1].Test);
        Assert.All(straight.History.Take(straight.TotalEpochs - 1), r => Assert.Null(r.Test));

        string dir = Path.Combine(Path.GetTempPath(), "semola-trainer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var identity = RunIdentity.Fresh(new Dictionary<string, string> { ["method"] = method }, task.DataChecksum());
            var first = Make(task, method, Device.Cpu);
            while (first.History.Count < first.TotalEpochs - 1)
            {
                first.RunEpoch();
            }
            TrainerCheckpoint.Save(dir, first, identity, 1.5);
            var resumed = Make(task, method, Device.Cpu);
            var state = TrainerCheckpoint.LoadLatest(dir, resumed, identity with { RunId = "other" });
            Assert.NotNull(state);
            Assert.Equal(1.5, state.WallSeconds);
            resumed.RunEpoch();
            var a = State(straight);
            var b = State(resumed);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
            Assert.Equal(straight.History[^1].Losses, resumed.History[^1].Losses);
            Assert.Equal(straight.History[^1].Test, resumed.History[^1].Test);
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
    public void ResumeRefusesAnotherConfigurationOrData()
    {
        var task = Task("nbody");
        string dir = Path.Combine(Path.GetTempPath(), "semola-trainer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new Dictionary<string, string> { ["lr"] = "0.001", ["epochs"] = "2" };
            var identity = RunIdentity.Fresh(config, task.DataChecksum());
            var t = Make(task, "base", Device.Cpu);
            t.RunEpoch();
            TrainerCheckpoint.Save(dir, t, identity, 1);
            var changed = identity with { Config = new Dictionary<string, string> { ["lr"] = "0.01", ["epochs"] = "5" } };
            var ex = Assert.Throws<InvalidDataException>(() => TrainerCheckpoint.LoadLatest(dir, Make(task, "base", Device.Cpu), changed));
            Assert.Contains("--lr: 0.001 -> 0.01", ex.Message);
            Assert.DoesNotContain("--epochs", ex.Message);
            var otherData = identity with { DataSha256 = new string('0', 64) };
            Assert.Contains("data checksum", Assert.Throws<InvalidDataException>(() => TrainerCheckpoint.LoadLatest(dir, Make(task, "base", Device.Cpu), otherData)).Message);
            Assert.Contains("--method", Assert.Throws<InvalidDataException>(() => TrainerCheckpoint.LoadLatest(dir, Make(task, "gt-aug", Device.Cpu), identity)).Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PruningKeepsTwoEpochsOfThisRunAndNeverTouchesAnother()
    {
        var task = Task("nbody");
        string dir = Path.Combine(Path.GetTempPath(), "semola-trainer-" + Guid.NewGuid().ToString("N"));
        try
        {
            var config = new Dictionary<string, string>();
            var old = RunIdentity.Fresh(config, task.DataChecksum());
            var oldRun = Make(task, "base", Device.Cpu, epochs: 6);
            for (int e = 0; e < 6; e++)
            {
                oldRun.RunEpoch();
                TrainerCheckpoint.Save(dir, oldRun, old, e);
            }
            Assert.Equal([5, 6], TrainerCheckpoint.EpochDirectories(dir).Select(d => d.Epoch));
            var fresh = RunIdentity.Fresh(config, task.DataChecksum());
            var newRun = Make(task, "base", Device.Cpu, epochs: 6);
            for (int e = 0; e < 3; e++)
            {
                newRun.RunEpoch();
                TrainerCheckpoint.Save(dir, newRun, fresh, e);
            }
            var left = TrainerCheckpoint.EpochDirectories(dir);
            Assert.Equal([2, 3, 5, 6], left.Select(d => d.Epoch));
            Assert.Equal([fresh.RunId, fresh.RunId, old.RunId, old.RunId], left.Select(d => d.State.Identity.RunId));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CopiesAndTestTimeAveragingRun()
    {
        var task = Task("nbody");
        var t = Make(task, "semola", Device.Cpu, epochs: 1, copies: 3, tta: 4);
        var r = t.RunEpoch();
        Assert.True(double.IsFinite(r.Test!["mse"]));
        var plain = Make(task, "semola", Device.Cpu, epochs: 1, copies: 3);
        Assert.NotEqual(plain.RunEpoch().Test!["mse"], r.Test["mse"]);
        Assert.Throws<ArgumentException>(() => Make(task, "base", Device.Cpu, tta: 2));
    }

    [Fact]
    public void GeneratorsBeyondTheSearchSpaceAreRefused()
    {
        var (training, methods) = Options(Device.Cpu);
        var ex = Assert.Throws<ArgumentException>(() => new Trainer(Task("nbody"), new SemolaMethod(), training, methods with { Semola = methods.Semola with { Generators = 5 } }));
        Assert.Contains("--generators 5", ex.Message);
    }

    [Fact]
    public void BlowUpOfTheTaskLossStopsTheRun()
    {
        var task = ToyRotationTask.Build(256, 32, 32, seed: 1);
        var t = new Trainer(task, new BaseMethod(), new TrainingOptions { Epochs = 3, LearningRate = 50f, BatchSize = 16, ProgressLinesPerEpoch = 0 }, new MethodOptions());
        var ex = Assert.Throws<TrainingDivergedException>(() =>
        {
            for (int e = 0; e < 3; e++)
            {
                t.RunEpoch();
            }
        });
        Assert.Contains("task loss", ex.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(12)]
    public void SpectralCapIsAFullTurnForRotationGenerators(int n)
    {
        var l = n == 3 ? LieAlgebraBases.ImageRotation() : LieAlgebraBases.NBodyRotation(n / 4);
        double norm = LieAlgebraMetrics.FrobeniusNorm(l);
        var unit = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                unit[i, j] = l[i, j] / norm;
            }
        }
        float cap = LieAugmenter.SpectralCap(unit);
        Assert.Equal(Math.PI * norm, cap, 4);
        // exp(cap * Lhat) turns every rotating pair by exactly pi: the range [-cap, cap] is one full turn.
        var a = Semola.Autodiff.Tensor.FromArray(unit.Cast<double>().Select(v => (float)(v * cap)).ToArray(), [1, n, n]).MatrixExp().ToArray();
        for (int i = 0; i < n; i++)
        {
            bool rotating = Enumerable.Range(0, n).Any(j => l[i, j] != 0);
            Assert.Equal(rotating ? -1.0 : 1.0, a[i * n + i], 4);
        }
    }

    [Fact]
    public void AFractionKeepsEveryClassShare()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i < 20 ? 0 : i < 80 ? 1 : 2).ToArray();
        var set = new SampleSet(Enumerable.Range(0, 200).Select(i => (float)i).ToArray(), [1], labels);
        var quarter = set.Fraction(0.25, seed: 4);
        Assert.Equal([5, 15, 30], quarter.Labels!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(quarter.Inputs.Select(v => (int)v).Select(i => labels[i]), quarter.Labels);
        Assert.NotEqual(quarter.Inputs, set.Fraction(0.25, seed: 5).Inputs);
        Assert.Throws<ArgumentException>(() => set.Fraction(0, 1));
    }
}

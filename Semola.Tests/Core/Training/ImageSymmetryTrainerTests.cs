using Semola.Core.Data;
using Semola.Core.Training;

namespace Semola.Tests.Core.Training;

public class ImageSymmetryTrainerTests
{
    private static RotatedMnist.Split SmallSplit() =>
        RotatedMnist.Build(BuiltInDigits.Load(), 48, 16, RotationVariant.Id, seed: 2);

    private static ImageTrainerOptions Options(ImageMethod method) => new()
    {
        Method = method,
        Epochs = 2,
        BatchSize = 16,
        Seed = 3,
        ProgressLinesPerEpoch = 0,
    };

    private static float[][] State(ImageSymmetryTrainer t)
    {
        var tensors = t.Model.Parameters().Concat(t.Model.NamedBuffers().Select(b => b.Value)).ToList();
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
    [InlineData(ImageMethod.Semola)]
    [InlineData(ImageMethod.Base)]
    [InlineData(ImageMethod.GtAug)]
    public void ResumeContinuesBitIdentically(ImageMethod method)
    {
        var split = SmallSplit();
        var straight = new ImageSymmetryTrainer(Options(method), split.Train, split.Test);
        straight.RunEpoch();
        straight.RunEpoch();

        string dir = Path.Combine(Path.GetTempPath(), "semola-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = new ImageSymmetryTrainer(Options(method), split.Train, split.Test);
            first.RunEpoch();
            TrainerCheckpoint.Save(dir, first);
            var resumed = new ImageSymmetryTrainer(Options(method), split.Train, split.Test);
            Assert.Equal(1, TrainerCheckpoint.LoadLatest(dir, resumed));
            Assert.Equal(first.History[0].TestAccuracy, resumed.History[0].TestAccuracy);
            resumed.RunEpoch();

            var a = State(straight);
            var b = State(resumed);
            Assert.Equal(a.Length, b.Length);
            for (int i = 0; i < a.Length; i++)
            {
                Assert.Equal(a[i], b[i]);
            }
            Assert.Equal(straight.History[1].TestAccuracy, resumed.History[1].TestAccuracy);
            Assert.Equal(straight.History[1].Losses["total"], resumed.History[1].Losses["total"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void CheckpointOfAnotherMethodIsRefused()
    {
        var split = SmallSplit();
        string dir = Path.Combine(Path.GetTempPath(), "semola-resume-" + Guid.NewGuid().ToString("N"));
        try
        {
            var baseRun = new ImageSymmetryTrainer(Options(ImageMethod.Base) with { Epochs = 1 }, split.Train, split.Test);
            baseRun.RunEpoch();
            TrainerCheckpoint.Save(dir, baseRun);
            var other = new ImageSymmetryTrainer(Options(ImageMethod.GtAug), split.Train, split.Test);
            var ex = Assert.Throws<InvalidDataException>(() => TrainerCheckpoint.LoadLatest(dir, other));
            Assert.Contains("Base", ex.Message);
            Assert.Equal(0, TrainerCheckpoint.LoadLatest(Path.Combine(dir, "missing"), other));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void EpochRecordsCarryMetrics()
    {
        var split = SmallSplit();
        var t = new ImageSymmetryTrainer(Options(ImageMethod.Semola) with { Epochs = 1 }, split.Train, split.Test);
        var r = t.RunEpoch();
        Assert.InRange(r.TestAccuracy, 0, 1);
        Assert.InRange(r.GeneratorCosine, 0, 1);
        Assert.InRange(r.InvarianceViolationRate, 0, 1);
        Assert.Single(r.Extents);
        foreach (var key in new[] { "total", "task", "task_aug", "eq", "dist", "ext", "orth", "sparsity", "disc" })
        {
            Assert.True(r.Losses.ContainsKey(key), key);
        }
        Assert.Contains("cosine", ImageSymmetryTrainer.Describe(r));
    }
}

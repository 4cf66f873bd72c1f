using Semola.Core.Method;
using Semola.Core.Training;

namespace Semola.Tests.Core.Training;

/// <summary>Each method on the toy rotation task learns what it should.</summary>
public class MethodLearningTests
{
    private static Trainer Train(string method, int epochs, bool restricted = true)
    {
        var task = ToyRotationTask.Build(2048, 128, 256, seed: 7, restricted);
        var methods = new MethodOptions
        {
            Semola = new SemolaOptions { LambdaExt = 1f, Beta = 0f, ProbeExtent = 2f, DiscriminatorWidth = 64, DiscriminatorLearningRate = 1e-3f },
            DiscoveryEpochs = 8,
            GeneratorLearningRate = 1e-2f,
            LieGanDiscriminatorWidth = 64,
        };
        var trainer = new Trainer(task, MethodCatalog.Create(method), new TrainingOptions { Epochs = epochs, BatchSize = 64, Seed = 2, ProgressLinesPerEpoch = 0 }, methods);
        while (trainer.History.Count < trainer.TotalEpochs)
        {
            trainer.RunEpoch();
        }
        return trainer;
    }

    [Fact]
    public void GtAugAndSemolaLowerTheInvarianceErrorOfTheBaseModel()
    {
        double baseError = Train("base", 12).History[^1].Test!["equivariance_error"];
        double gtError = Train("gt-aug", 12).History[^1].Test!["equivariance_error"];
        var semola = Train("semola", 12);
        double semolaError = semola.History[^1].Test!["equivariance_error"];
        Assert.True(gtError < 0.5 * baseError, $"gt-aug {gtError:G3} vs base {baseError:G3}");
        Assert.True(semolaError < 0.5 * baseError, $"semola {semolaError:G3} vs base {baseError:G3} (cosine {semola.History[^1].GeneratorCosine:F3}, extent {semola.History[^1].Extents[0]:F3})");
    }

    [Theory]
    [InlineData("semola", 0.99)]
    [InlineData("liegan", 0.95)]
    [InlineData("augerino-plus", 0.99)]
    public void LearnedGeneratorsFindTheRotation(string method, double minimum)
    {
        var t = Train(method, 8, restricted: false);
        double cosine = t.History[^1].GeneratorCosine;
        Assert.True(cosine >= minimum, $"{method}: cosine {cosine:F3} (from {t.History[0].GeneratorCosine:F3} after epoch 1)");
    }
}

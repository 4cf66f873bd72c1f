using System.Diagnostics;
using System.Globalization;
using Semola.Autodiff.Optim;
using Semola.Core.Data;
using Semola.Core.Models;
using Semola.Core.Training;

namespace Semola.Experiments;

/// <summary>The <c>digits</c> verb: trains <see cref="BaseCnn"/> with Adam on the shipped digits and reports test accuracy.</summary>
public static class DigitsCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(DigitsOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Epochs < 1 || options.TrainSize < 2 || options.TestSize < 1 || options.BatchSize < 2 || options.LogEvery < 1
            || !(options.Lr > 0) || double.IsInfinity(options.Lr))
        {
            error.WriteLine("error: --epochs and --log-every must be at least 1, --train-size and --batch-size at least 2, --test-size at least 1 and --lr positive.");
            return ExperimentsApp.UsageError;
        }
        if ((long)options.TrainSize + options.TestSize > BuiltInDigits.Count)
        {
            error.WriteLine($"error: --train-size + --test-size must be at most {BuiltInDigits.Count} (the shipped digits).");
            return ExperimentsApp.UsageError;
        }
        var all = BuiltInDigits.Load();
        var train = all.Slice(0, options.TrainSize);
        var test = all.Slice(options.TrainSize, options.TestSize);
        var rng = new Random(options.Seed);
        var model = BaseCnn.Build(rng);
        var trainer = new ClassifierTrainer(model, new Adam(model.Parameters(), (float)options.Lr), options.BatchSize);
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(ic, "digits: base CNN ({0} parameters), {1} train / {2} test images, batch {3}, Adam lr {4}, seed {5}",
            model.ParameterCount, train.Count, test.Count, options.BatchSize, options.Lr, options.Seed));
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double sinceLog = 0;
            int inLog = 0;
            double mean = trainer.TrainEpoch(train, rng, (step, steps, loss) =>
            {
                sinceLog += loss;
                inLog++;
                if (step % options.LogEvery == 0 || step == steps)
                {
                    output.WriteLine(string.Format(ic, "epoch {0} step {1}/{2}: loss {3:F4} ({4:F1} s)", epoch, step, steps, sinceLog / inLog, clock.Elapsed.TotalSeconds));
                    sinceLog = 0;
                    inLog = 0;
                }
            });
            output.WriteLine(string.Format(ic, "epoch {0}: mean training loss {1:F4}", epoch, mean));
        }
        double accuracy = trainer.Accuracy(test);
        output.WriteLine(string.Format(ic, "test accuracy: {0:F4} ({1} images, {2:F1} s in all)", accuracy, test.Count, clock.Elapsed.TotalSeconds));
        return 0;
    }
}

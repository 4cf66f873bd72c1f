using System.Globalization;
using System.Text.Json.Nodes;
using Semola.Autodiff;
using Semola.Core.Data;
using Semola.Core.Method;
using Semola.Core.Tasks;
using Semola.Core.Training;
using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>
/// The benchmark's SEMoLA part: batched 3x3 matrix exponentials, affine grid sampling, and one
/// SEMoLA training step of the base CNN (the same work as the PyTorch reference scripts), all on the
/// benchmark's device; each timing ends when the device has finished.
/// </summary>
public static class BenchSemola
{
    /// <summary>Runs the three measurements and returns them as JSON members.</summary>
    public static (JsonObject MatrixExp, JsonObject GridSample, JsonObject SemolaStep) Run(bool quick, int warmup, int repeats, Device device, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(output);
        var ic = CultureInfo.InvariantCulture;
        var rng = new Random(3);

        // 10^5 random 3x3 matrices with entries in [-1, 1] (norms like the augmenter's).
        int count = quick ? 1000 : 100_000;
        var a = Tensor.Uniform([count, 3, 3], -1f, 1f, rng, device);
        double expF = BenchCommand.Median(warmup, repeats, () =>
        {
            using var scope = new TensorScope();
            using var noGrad = GradMode.NoGrad();
            return BenchCommand.Time(() => a.MatrixExp().ToArray());
        });
        a.RequiresGrad = true;
        var upstream = Tensor.Uniform([count, 3, 3], -1f, 1f, rng, device);
        double expFb = BenchCommand.Median(warmup, repeats, () =>
        {
            using var scope = new TensorScope();
            return BenchCommand.Time(() => a.MatrixExp().Backward(upstream)[a].ToArray());
        });
        output.WriteLine(string.Format(ic, "matrix_exp {0} x 3x3: forward {1:F1} ms, forward+backward {2:F1} ms", count, expF * 1e3, expFb * 1e3));
        var expJson = new JsonObject { ["count"] = count, ["n"] = 3, ["forward_ms"] = expF * 1e3, ["forward_backward_ms"] = expFb * 1e3 };

        // Affine grid + bilinear sampling of 64x1x28x28, forward + backward to image and theta.
        int b = quick ? 4 : 64;
        var images = Tensor.Uniform([b, 1, 28, 28], 0f, 1f, rng, device);
        var theta = Tensor.Uniform([b, 2, 3], -1f, 1f, rng, device);
        images.RequiresGrad = true;
        theta.RequiresGrad = true;
        var gout = Tensor.Uniform([b, 1, 28, 28], -1f, 1f, rng, device);
        double gs = BenchCommand.Median(warmup + 2, repeats * 5, () =>
        {
            using var scope = new TensorScope();
            return BenchCommand.Time(() =>
            {
                var grads = images.AffineGridSample(theta).Backward(gout);
                grads[theta].ToArray();
            });
        });
        output.WriteLine(string.Format(ic, "grid_sample {0}x1x28x28: forward+backward {1:F2} ms", b, gs * 1e3));
        var gsJson = new JsonObject { ["batch"] = b, ["forward_backward_ms"] = gs * 1e3 };

        // One SEMoLA step: augmenter sample, expm, grid sampling, CNN on 2B images, five loss terms,
        // backward, two Adam steps, one discriminator step.
        int batch = quick ? 4 : 64;
        var pixels = new float[batch * 784];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (float)rng.NextDouble();
        }
        var data = new ImageDataSet(pixels, Enumerable.Range(0, batch).Select(i => i % 10).ToArray(), 1, 28, 28);
        var method = new SemolaMethod();
        _ = new Trainer(RotatedMnistTask.FromSplits(data, data, data), method, new TrainingOptions { Device = device, BatchSize = batch }, new MethodOptions());
        var x = Tensor.FromArray(pixels, [batch, 1, 28, 28], device);
        var context = new StepContext(1, 0, new Random(1));
        double step = BenchCommand.Median(warmup, repeats, () =>
        {
            using var scope = new TensorScope();
            return BenchCommand.Time(() =>
            {
                // Reading the loss back waits for the device; the synchronisation covers the optimiser steps.
                method.Step(new Batch(x, data.Labels), context)["total"].Item();
                BenchCommand.Synchronize(device);
            });
        });
        output.WriteLine(string.Format(ic, "semola step, batch {0}: {1:F1} original images/s ({2:F1} ms per step)", batch, batch / step, step * 1e3));
        var stepJson = new JsonObject { ["batch"] = batch, ["step_ms"] = step * 1e3, ["images_per_second"] = batch / step };
        return (expJson, gsJson, stepJson);
    }
}

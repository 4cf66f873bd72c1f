using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Semola.Autodiff;
using Semola.Autodiff.Optim;
using Semola.Core.Models;
using Semola.Kernels;
using Semola.Kernels.Cpu;
using Semola.Kernels.Ilgpu;

namespace Semola.Experiments;

/// <summary>
/// The <c>bench</c> verb: GEMM GFLOP/s (square 256, 512, 1024), conv2d forward and backward time
/// (64x32x28x28 input, 32->32 3x3 filters, padding 1) and base-CNN training throughput (batch 64:
/// forward, cross-entropy, backward, Adam step, one tensor scope per step), each the median of
/// several timed runs after a warm-up. <c>--quick</c> shrinks every shape for a smoke run.
/// <c>--device</c> picks the device (GEMM sizes 1024 to 8192 on a GPU) and every figure, the SEMoLA
/// ones included, is measured on it; GPU timings wait for the device to finish.
/// </summary>
public static class BenchCommand
{
    /// <summary>Runs the verb; returns the exit code.</summary>
    public static int Run(BenchOptions options, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (options.Repeats < 1)
        {
            error.WriteLine("error: --repeats must be at least 1.");
            return ExperimentsApp.UsageError;
        }
        CpuIsa isa;
        bool winograd;
        try
        {
            isa = CpuFeatures.Active;
            winograd = CpuConv2d.UsesWinograd(isa);
        }
        catch (InvalidOperationException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExperimentsApp.UsageError;
        }
        var device = DeviceSelector.Select(options.Device);
        bool gpu = device.Kind is DeviceKind.Cuda or DeviceKind.OpenCL;
        bool quick = options.Quick;
        int repeats = quick ? 1 : options.Repeats;
        int warmup = quick ? 0 : 1;
        int[] gemmSizes = quick ? [32, 64] : gpu ? [1024, 2048, 4096, 8192] : [256, 512, 1024];
        int convBatch = quick ? 2 : 64;
        int cnnBatch = quick ? 4 : 64;
        var ic = CultureInfo.InvariantCulture;
        var rng = new Random(1);

        string cpuName = ProcessorName();
        output.WriteLine(string.Format(ic, "bench: backend {0}, {1} threads, {2} repeats (median), warm-up {3}{4}",
            device.Name, CpuBackend.Threads, repeats, warmup, quick ? ", quick" : string.Empty));
        output.WriteLine(string.Format(ic, "cpu: {0}; ISA path {1} (best available {2}{3}), L2 {4} KiB per core",
            cpuName, CpuFeatures.Name(isa), CpuFeatures.Name(CpuFeatures.Best),
            isa != CpuFeatures.Best ? $", lowered by {CpuFeatures.EnvironmentVariable}" : string.Empty, CpuFeatures.L2CacheBytes / 1024));
        output.WriteLine("cpu: 3x3 stride-1 padded convolutions by " + (winograd ? "Winograd F(2x2, 3x3)" : "GEMM lowering")
            + ((isa is CpuIsa.Avx512 or CpuIsa.Avx2) && !winograd ? $" ({CpuConv2d.WinogradVariable}=0)" : string.Empty));
        var ours = new Dictionary<string, double>();

        var gemm = new JsonArray();
        foreach (int n in gemmSizes)
        {
            var a = Tensor.Uniform([n, n], -1f, 1f, rng, device);
            var b = Tensor.Uniform([n, n], -1f, 1f, rng, device);
            double seconds = Median(warmup, repeats, () =>
            {
                using var scope = new TensorScope();
                using var noGrad = GradMode.NoGrad();
                return Time(() =>
                {
                    a.MatMul(b);
                    Synchronize(device);
                });
            });
            double gflops = 2.0 * n * n * n / seconds / 1e9;
            output.WriteLine(string.Format(ic, "gemm {0}x{0}x{0}: {1:F2} GFLOP/s = {3:F3} TFLOP/s ({2:F2} ms)", n, gflops, seconds * 1e3, gflops / 1e3));
            gemm.Add(new JsonObject { ["n"] = n, ["seconds"] = seconds, ["gflops"] = gflops });
            ours[$"gemm_{n}_gflops"] = gflops;
        }

        var x = Tensor.Uniform([convBatch, 32, 28, 28], -1f, 1f, rng, device);
        var w = Tensor.Uniform([32, 32, 3, 3], -0.1f, 0.1f, rng, device);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        var fwd = new List<double>();
        var bwd = new List<double>();
        for (int r = 0; r < warmup + repeats; r++)
        {
            using var scope = new TensorScope();
            Tensor? y = null;
            double f = Time(() =>
            {
                y = x.Conv2d(w, 1, 1);
                Synchronize(device);
            });
            var gy = Tensor.Ones([.. y!.Shape], device);
            double bk = Time(() =>
            {
                y!.Backward(gy);
                Synchronize(device);
            });
            if (r >= warmup)
            {
                fwd.Add(f);
                bwd.Add(bk);
            }
        }
        double convF = MedianOf(fwd), convB = MedianOf(bwd);
        output.WriteLine(string.Format(ic, "conv2d {0}x32x28x28, 32->32 3x3 pad 1: forward {1:F1} ms, backward {2:F1} ms, total {3:F1} ms",
            convBatch, convF * 1e3, convB * 1e3, (convF + convB) * 1e3));
        ours["conv_forward_ms"] = convF * 1e3;
        ours["conv_backward_ms"] = convB * 1e3;
        ours["conv_total_ms"] = (convF + convB) * 1e3;
        var conv = new JsonObject
        {
            ["input"] = new JsonArray(convBatch, 32, 28, 28),
            ["weight"] = new JsonArray(32, 32, 3, 3),
            ["forward_ms"] = convF * 1e3,
            ["backward_ms"] = convB * 1e3,
            ["total_ms"] = (convF + convB) * 1e3,
        };

        var model = BaseCnn.Build(new Random(2));
        model.To(device);
        var adam = new Adam(model.Parameters(), 1e-3f);
        var images = Tensor.Uniform([cnnBatch, 1, 28, 28], 0f, 1f, rng, device);
        var labels = Enumerable.Range(0, cnnBatch).Select(i => i % 10).ToArray();
        double step = Median(warmup, repeats, () =>
        {
            using var scope = new TensorScope();
            return Time(() =>
            {
                var loss = Losses.CrossEntropy(model.Forward(images), labels);
                adam.Step(loss.Backward());
                Synchronize(device);
            });
        });
        double imagesPerSecond = cnnBatch / step;
        output.WriteLine(string.Format(ic, "base CNN training, batch {0}: {1:F1} images/s ({2:F1} ms per step)", cnnBatch, imagesPerSecond, step * 1e3));
        var cnn = new JsonObject { ["batch"] = cnnBatch, ["step_ms"] = step * 1e3, ["images_per_second"] = imagesPerSecond, ["parameters"] = model.ParameterCount };

        var (matrixExp, gridSample, semolaStep) = BenchSemola.Run(quick, warmup, repeats, device, output);
        ours["base_images_per_second"] = imagesPerSecond;
        ours["semola_images_per_second"] = (double)semolaStep["images_per_second"]!;
        ours["matrix_exp_forward_ms"] = (double)matrixExp["forward_ms"]!;
        ours["matrix_exp_forward_backward_ms"] = (double)matrixExp["forward_backward_ms"]!;
        ours["grid_sample_ms"] = (double)gridSample["forward_backward_ms"]!;
        JsonObject? pytorch = null;
        if (options.Compare)
        {
            if (gpu || quick)
            {
                output.WriteLine("compare: note: the PyTorch scripts run on the CPU at full size; this run is " + (gpu ? "on a GPU" : "quick") + ", so the speed-ups are not like for like.");
            }
            pytorch = BenchPyTorch.Run(ours, options.Python, CpuBackend.Threads, quick, output);
        }

        if (options.Json is { } path)
        {
            var root = new JsonObject
            {
                ["backend"] = device.Name,
                ["threads"] = CpuBackend.Threads,
                ["cpu"] = cpuName,
                ["isa"] = CpuFeatures.Name(isa),
                ["isa_best"] = CpuFeatures.Name(CpuFeatures.Best),
                ["l2_bytes"] = CpuFeatures.L2CacheBytes,
                ["conv3x3"] = winograd ? "winograd" : "gemm",
                ["quick"] = quick,
                ["repeats"] = repeats,
                ["warmup"] = warmup,
                ["gemm"] = gemm,
                ["conv2d"] = conv,
                ["cnn_train"] = cnn,
                ["matrix_exp"] = matrixExp,
                ["grid_sample"] = gridSample,
                ["semola_step"] = semolaStep,
            };
            if (pytorch is not null)
            {
                root["pytorch"] = pytorch;
            }
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }
            File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {path}");
        }
        return 0;
    }

    // The processor's model name where the operating system tells it (Linux), else its architecture.
    private static string ProcessorName()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and >= 0)
                    {
                        return line[(colon + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Waits for a GPU device to finish the work launched so far (no-op on the CPU).</summary>
    internal static void Synchronize(Device device)
    {
        if (device.Backend is IlgpuBackend ilgpu)
        {
            ilgpu.Synchronize();
        }
    }

    internal static double Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed.TotalSeconds;
    }

    internal static double Median(int warmup, int repeats, Func<double> run)
    {
        // Warm up for at least the given runs and, unless this is a quick run, half a second: the
        // JIT promotes hot methods to optimised code only after they have run for a while. A process
        // that sees one processor waits ten times longer before it starts counting calls (and starts
        // again whenever new code is compiled), so there the warm-up lasts three seconds.
        double warmSeconds = Environment.ProcessorCount == 1 ? 3.0 : 0.5;
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < warmup || (warmup > 0 && warm.Elapsed.TotalSeconds < warmSeconds); i++)
        {
            run();
        }
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            times.Add(run());
        }
        return MedianOf(times);
    }

    private static double MedianOf(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Semola.Experiments;

/// <summary>
/// The bench's <c>--compare</c> part: runs the PyTorch reference scripts of
/// <c>bench/pytorch</c> (kernels.py and train_step.py, with <c>--json</c>) in the same sitting
/// and prints Semola's speed-up over each figure (above 1: Semola is faster).
/// </summary>
public static class BenchPyTorch
{
    // (key, label, higher is better) for every figure both sides report.
    private static readonly (string Key, string Label, bool HigherIsBetter)[] Figures =
    [
        ("gemm_256_gflops", "gemm 256 (GFLOP/s)", true),
        ("gemm_512_gflops", "gemm 512 (GFLOP/s)", true),
        ("gemm_1024_gflops", "gemm 1024 (GFLOP/s)", true),
        ("conv_forward_ms", "conv 64x32x28x28 3x3 forward (ms)", false),
        ("conv_backward_ms", "conv backward (ms)", false),
        ("conv_total_ms", "conv forward+backward (ms)", false),
        ("base_images_per_second", "base CNN step, batch 64 (images/s)", true),
        ("semola_images_per_second", "SEMoLA step, batch 64 (images/s)", true),
        ("matrix_exp_forward_ms", "matrix_exp 1e5 3x3 forward (ms)", false),
        ("matrix_exp_forward_backward_ms", "matrix_exp forward+backward (ms)", false),
        ("grid_sample_ms", "grid sample 64x1x28x28 fwd+bwd (ms)", false),
    ];

    /// <summary>
    /// Runs the reference scripts and prints the comparison with <paramref name="ours"/> (keys as
    /// in the scripts' JSON). Returns the PyTorch figures and speed-ups as JSON, or null (with the
    /// reason printed) when Python, PyTorch or the scripts are missing or a script fails.
    /// </summary>
    public static JsonObject? Run(IReadOnlyDictionary<string, double> ours, string? python, int threads, bool quick, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(output);
        string? scripts = FindScripts();
        if (scripts is null)
        {
            output.WriteLine("compare: skipped: the reference scripts bench/pytorch/kernels.py and train_step.py were not found "
                + "(run the bench from the repository or a folder inside it).");
            return null;
        }

        var candidates = python is not null ? new[] { python } : new[] { "python3", "/usr/bin/python3" };
        string? interpreter = candidates.FirstOrDefault(HasTorch);
        if (interpreter is null)
        {
            output.WriteLine($"compare: skipped: no Python with PyTorch found (tried {string.Join(", ", candidates)}). "
                + "On Debian: apt-get install -y python3-torch python3-numpy libopenblas0-pthread (see docs/performance.md).");
            return null;
        }

        string repeats = quick ? "1" : "7";
        var theirs = new Dictionary<string, double>();
        string? version = null;
        foreach (var (script, extra) in new[] { ("kernels.py", $"--repeats {repeats}"), ("train_step.py", $"--repeats {(quick ? "1" : "15")}") })
        {
            output.WriteLine($"compare: running {script} with {interpreter} ...");
            var (code, stdout, stderr) = Execute(interpreter, $"\"{Path.Combine(scripts, script)}\" --json --threads {threads} {extra}", scripts);
            string last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? string.Empty;
            if (code != 0 || !last.StartsWith('{'))
            {
                output.WriteLine($"compare: skipped: {script} failed (exit code {code}): {stderr.Trim()}");
                return null;
            }

            var json = JsonNode.Parse(last)!.AsObject();
            foreach (var (key, value) in json)
            {
                if (value is JsonValue v && v.TryGetValue(out double d))
                {
                    theirs[key] = d;
                }
                else if (key == "torch")
                {
                    version = value?.ToString();
                }
            }
        }

        var ic = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(ic, "compare: PyTorch {0}, {1} threads, same sitting; speed-up = how many times faster Semola is", version, threads));
        output.WriteLine(string.Format(ic, "{0,-40} {1,12} {2,12} {3,9}", "work", "Semola", "PyTorch", "speed-up"));
        var result = new JsonObject { ["torch"] = version, ["threads"] = threads };
        var speedups = new JsonObject();
        foreach (var (key, label, higher) in Figures)
        {
            if (!ours.TryGetValue(key, out double a) || !theirs.TryGetValue(key, out double b) || a <= 0 || b <= 0)
            {
                continue;
            }

            double speedup = higher ? a / b : b / a;
            output.WriteLine(string.Format(ic, "{0,-40} {1,12:F2} {2,12:F2} {3,8:F2}x", label, a, b, speedup));
            result[key] = b;
            speedups[key] = speedup;
        }

        result["speedup"] = speedups;
        return result;
    }

    private static string? FindScripts()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "bench", "pytorch");
                if (File.Exists(Path.Combine(candidate, "kernels.py")) && File.Exists(Path.Combine(candidate, "train_step.py")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool HasTorch(string interpreter)
    {
        try
        {
            return Execute(interpreter, "-c \"import torch\"", null).Code == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static (int Code, string Stdout, string Stderr) Execute(string file, string arguments, string? workingDirectory)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        // Some machines force an OpenBLAS core type or L2 size that does not match the CPU.
        info.Environment.Remove("OPENBLAS_CORETYPE");
        info.Environment.Remove("OPENBLAS_L2_SIZE");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}

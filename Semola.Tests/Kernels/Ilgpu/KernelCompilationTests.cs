using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.OpenCL;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using ILGPU.Runtime.OpenCL;

namespace Semola.Tests.Kernels.Ilgpu;

/// <summary>
/// Compiles every kernel of the ILGPU backend (see <see cref="IlgpuKernelCatalog"/>) without a device:
/// to PTX for CUDA devices of compute capability 6.0, 8.0 and 9.0 through ILGPU's PTX backend, and to
/// OpenCL C 2.0 through its OpenCL backend; the OpenCL C is then parsed, type-checked and lowered to SPIR
/// LLVM IR by clang's OpenCL front end where clang is installed. A failure names each kernel that did
/// not compile.
/// </summary>
public sealed class KernelCompilationTests
{
    /// <summary>The CUDA driver assumed when picking the PTX ISA for an architecture (as the runtime would).</summary>
    private static readonly CudaDriverVersion AssumedDriver = CudaDriverVersion.FromMajorMinor(12, 4);

    private static Context CreateContext() => Context.Create(b => b.EnableAlgorithms());

    private static EntryPointDescription Describe(IlgpuKernelCatalog.Entry entry) =>
        entry.ExplicitlyGrouped
            ? EntryPointDescription.FromExplicitlyGroupedKernel(entry.Method)
            : EntryPointDescription.FromImplicitlyGroupedKernel(entry.Method);

    /// <summary>Compiles every kernel with <paramref name="backend"/>; returns the compiled kernels and the failures.</summary>
    private static (List<(IlgpuKernelCatalog.Entry Entry, CompiledKernel Kernel)> Compiled, List<string> Failures) CompileAll(Backend backend)
    {
        var compiled = new List<(IlgpuKernelCatalog.Entry, CompiledKernel)>();
        var failures = new List<string>();
        foreach (var entry in IlgpuKernelCatalog.All)
        {
            try
            {
                var description = Describe(entry);
                compiled.Add((entry, backend.Compile(description, KernelSpecialization.Empty)));
            }
            catch (Exception e)
            {
                var reasons = new List<string>();
                for (Exception? x = e; x is not null; x = x.InnerException)
                {
                    reasons.Add($"{x.GetType().Name}: {x.Message}");
                }
                failures.Add($"{entry.Name}: {string.Join(" <- ", reasons)}");
            }
        }
        return (compiled, failures);
    }

    private static string Report(string what, List<string> failures) =>
        $"{failures.Count} kernel(s) did not compile to {what}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}";

    [Fact]
    public void CatalogCoversEveryKernelFamily()
    {
        var names = IlgpuKernelCatalog.All.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        foreach (string expected in new[]
        {
            "ElementwiseKernels.Fill", "ElementwiseKernels.Unary<ExpOp>", "ElementwiseKernels.Binary<AddOp>",
            "GemmKernels.Tiled", "ConvKernels.Im2Col", "LieKernels.MatrixExp", "LieKernels.GridSampleBackward",
            "NormKernels.Forward", "NormKernels.Backward", "OptimKernels.Adam", "ReduceKernels.ReduceGroup", "ReduceKernels.SumOfSquares",
        })
        {
            Assert.Contains(expected, names);
        }
        // Every op of the enums has its struct instantiated in the generic kernels.
        Assert.Equal(Enum.GetValues<Semola.Kernels.UnaryOp>().Length, IlgpuKernelCatalog.All.Count(e => e.Name.StartsWith("ElementwiseKernels.Unary<", StringComparison.Ordinal)));
        Assert.Equal(Enum.GetValues<Semola.Kernels.BinaryOp>().Length, IlgpuKernelCatalog.All.Count(e => e.Name.StartsWith("ElementwiseKernels.Binary<", StringComparison.Ordinal)));
        Assert.True(IlgpuKernelCatalog.All.Single(e => e.Name == "GemmKernels.Tiled").ExplicitlyGrouped);
        Assert.False(IlgpuKernelCatalog.All.Single(e => e.Name == "ConvKernels.Im2Col").ExplicitlyGrouped);
    }

    /// <summary>
    /// Compiles every kernel as a CUDA accelerator of compute capability major.minor would: ILGPU 1.5.3
    /// emits PTX for the lowest architecture that has every capability it uses (at most sm_80, so an
    /// sm_90 card gets sm_80 PTX that its driver compiles for sm_90) and picks the PTX ISA from that
    /// target and the driver; the real architecture still selects the intrinsics.
    /// </summary>
    [Theory]
    [InlineData(6, 0, "sm_60")]
    [InlineData(8, 0, "sm_80")]
    [InlineData(9, 0, "sm_80")]
    public void EveryKernelCompilesToPtx(int major, int minor, string expectedTarget)
    {
        var architecture = new CudaArchitecture(major, minor);
        var capabilities = new CudaCapabilityContext(architecture);
        var isa = CudaAccelerator.GetInstructionSet(capabilities.TargetArchitecture, AssumedDriver);
        using var context = CreateContext();
        using var backend = new PTXBackend(context, capabilities, architecture, isa, null);
        var (compiled, failures) = CompileAll(backend);
        Assert.True(failures.Count == 0, Report($"PTX for sm_{major}{minor}", failures));
        Assert.Equal(IlgpuKernelCatalog.All.Count, compiled.Count);
        string target = ".target " + expectedTarget + "\n";
        foreach (var (entry, kernel) in compiled)
        {
            string ptx = ((PTXCompiledKernel)kernel).PTXAssembly.ReplaceLineEndings("\n");
            Assert.True(ptx.Contains(target, StringComparison.Ordinal), $"{entry.Name}: the PTX for sm_{major}{minor} does not declare '{target.Trim()}'.");
            Assert.True(ptx.Contains(".visible .entry ", StringComparison.Ordinal), $"{entry.Name}: the PTX has no kernel entry.");
        }
    }

    /// <summary>
    /// The OpenCL C of every kernel, as ILGPU generates it for an OpenCL C 2.0 device with fp64 and the
    /// generic address space (the capabilities <c>IlgpuDevices</c> requires).
    /// </summary>
    private static List<(string Name, string Source)> OpenClSources(out List<string> failures)
    {
        using var context = CreateContext();
        var capabilities = new CLCapabilityContext(float16: false, float64: true, genericAddressSpace: true, int64_Atomics: false, subGroups: false);
        using var backend = new CLBackend(context, capabilities, CLDeviceVendor.Other, CLCVersion.CL20);
        var (compiled, f) = CompileAll(backend);
        failures = f;
        return compiled.Select(c => (c.Entry.Name, ((CLCompiledKernel)c.Kernel).Source)).ToList();
    }

    [Fact]
    public void EveryKernelCompilesToOpenClC()
    {
        var sources = OpenClSources(out var failures);
        Assert.True(failures.Count == 0, Report("OpenCL C 2.0", failures));
        foreach (var (name, source) in sources)
        {
            Assert.True(source.Contains("kernel void", StringComparison.Ordinal), $"{name}: the OpenCL C has no kernel function.");
        }
    }

    /// <summary>The clang on PATH (clang, or clang-20 down to clang-14), or null.</summary>
    private static string? FindClang()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string name in new[] { "clang" }.Concat(Enumerable.Range(14, 7).Reverse().Select(v => "clang-" + v)))
        {
            foreach (string dir in path)
            {
                string candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static (int ExitCode, string Output) RunClang(string clang, string file)
    {
        var info = new ProcessStartInfo(clang)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // OpenCL C 2.0 for a SPIR target: parse, type-check and lower to LLVM IR (no device needed).
        foreach (string arg in new[] { "-x", "cl", "-cl-std=CL2.0", "--target=spir64", "-emit-llvm", "-c", "-o", "/dev/null", file })
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {clang}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    [SkippableFact]
    public void ClangFrontEndRejectsInvalidOpenClC()
    {
        string? clang = FindClang();
        Skip.If(clang is null, "clang is not installed (Debian package 'clang')");
        string file = Path.Combine(Path.GetTempPath(), "semola-cl-invalid-" + Guid.NewGuid().ToString("N") + ".cl");
        File.WriteAllText(file, "kernel void k(global float* x) { x[get_global_id(0)] = not_a_builtin(x[0]); }\n");
        try
        {
            var (exitCode, output) = RunClang(clang!, file);
            Assert.NotEqual(0, exitCode);
            Assert.Contains("not_a_builtin", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs clang's OpenCL C 2.0 front end over the generated source of every kernel (the Debian package
    /// 'clang'; .ci/run installs it). Reported as skipped, with the reason, where clang is missing.
    /// </summary>
    [SkippableFact]
    public void GeneratedOpenClCPassesClangFrontEnd()
    {
        string? clang = FindClang();
        Skip.If(clang is null, "clang is not installed (Debian package 'clang'): the OpenCL C that ILGPU generates is not checked by an OpenCL C front end on this machine");
        var sources = OpenClSources(out var failures);
        Assert.True(failures.Count == 0, Report("OpenCL C 2.0", failures));
        string dir = Path.Combine(Path.GetTempPath(), "semola-cl-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var rejected = new ConcurrentBag<string>();
            Parallel.ForEach(sources, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, item =>
            {
                string file = Path.Combine(dir, new string(item.Name.Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray()) + ".cl");
                File.WriteAllText(file, item.Source, Encoding.UTF8);
                var (exitCode, output) = RunClang(clang!, file);
                if (exitCode != 0)
                {
                    rejected.Add($"{item.Name}: clang exit code {exitCode}:{Environment.NewLine}{output}");
                }
            });
            Assert.True(rejected.IsEmpty, $"{rejected.Count} kernel(s) rejected by {clang}:{Environment.NewLine}{string.Join(Environment.NewLine, rejected.OrderBy(r => r, StringComparer.Ordinal))}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

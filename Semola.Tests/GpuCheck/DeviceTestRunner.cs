using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Semola.Tests.Kernels.Ilgpu;

namespace Semola.Tests.GpuCheck;

/// <summary>
/// Runs the CUDA parity tests without a test host, so that a self-contained published build of this
/// project (<c>dotnet publish Semola.Tests -c Release -r linux-x64 --self-contained</c>) can check a card
/// on a machine that has no .NET SDK: <c>Semola.Tests --cuda-parity [--json FILE]</c>. It creates the
/// CUDA fixture once and calls every [Fact] of <see cref="CudaParityTests"/>; a test that throws
/// <see cref="SkipException"/> counts as skipped (all of them, with the reason, when there is no CUDA
/// device). Prints one line per test and "N passed, N failed, N skipped"; exit code 0 when nothing
/// failed, 1 otherwise.
/// </summary>
public static class DeviceTestRunner
{
    /// <summary>Entry point of the published test assembly; with no recognised argument prints the usage.</summary>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "--cuda-parity" || (args.Length != 1 && (args.Length != 3 || args[1] != "--json")))
        {
            Console.Error.WriteLine("usage: Semola.Tests --cuda-parity [--json FILE]   (runs the CUDA parity tests; use 'dotnet test' for the whole suite)");
            return 2;
        }
        return RunCudaParity(Console.Out, args.Length == 3 ? args[2] : null);
    }

    /// <summary>Runs every fact of <see cref="CudaParityTests"/>; returns the exit code.</summary>
    public static int RunCudaParity(TextWriter output, string? jsonPath)
    {
        ArgumentNullException.ThrowIfNull(output);
        var ic = CultureInfo.InvariantCulture;
        var tests = typeof(CudaParityTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any() && m.GetParameters().Length == 0)
            .OrderBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        int passed = 0, failed = 0, skipped = 0;
        var json = new StringBuilder("[");
        using (var fixture = new CudaFixture())
        {
            output.WriteLine(fixture.Device is null ? $"device: none ({fixture.Reason})" : $"device: {fixture.Device.Name}");
            var instance = new CudaParityTests(fixture);
            foreach (var test in tests)
            {
                string outcome, detail = string.Empty;
                var sw = Stopwatch.StartNew();
                try
                {
                    test.Invoke(instance, null);
                    outcome = "passed";
                    passed++;
                }
                catch (TargetInvocationException e) when (e.InnerException is SkipException skip)
                {
                    outcome = "skipped";
                    detail = skip.Message;
                    skipped++;
                }
                catch (TargetInvocationException e)
                {
                    outcome = "failed";
                    detail = (e.InnerException ?? e).GetType().Name + ": " + (e.InnerException ?? e).Message;
                    failed++;
                }
                double ms = sw.Elapsed.TotalMilliseconds;
                output.WriteLine(string.Format(ic, "{0,-7} {1} ({2:F0} ms){3}", outcome.ToUpperInvariant(), test.Name, ms, detail.Length > 0 ? ": " + detail : string.Empty));
                if (json.Length > 1)
                {
                    json.Append(',');
                }
                json.Append(string.Format(ic, "{{\"name\":{0},\"outcome\":\"{1}\",\"ms\":{2:F1},\"detail\":{3}}}",
                    Quote(test.Name), outcome, ms, Quote(detail)));
            }
        }
        json.Append(']');
        output.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, string.Format(ic, "{{\"passed\":{0},\"failed\":{1},\"skipped\":{2},\"tests\":{3}}}\n", passed, failed, skipped, json));
        }
        return failed == 0 ? 0 : 1;
    }

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s);
}

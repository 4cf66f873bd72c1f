using System.Globalization;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Semola.Kernels.Cpu;

/// <summary>
/// Run-time instruction-set dispatch and cache sizes for the CPU kernels.
/// <para>
/// <see cref="Best"/> is the widest path this processor (and runtime) supports: AVX-512 when
/// <c>Avx512F</c> and 512-bit vectors are hardware-accelerated, AVX2 when AVX2 and FMA are,
/// the portable <c>Vector&lt;T&gt;</c> path otherwise. The environment variable
/// <c>SEMOLA_ISA</c> (<c>avx512</c>, <c>avx2</c> or <c>portable</c>) forces a path; asking for
/// an unknown name or a path the processor lacks is an error, raised by the first kernel that
/// dispatches (and by <see cref="Active"/>).
/// </para>
/// </summary>
public static class CpuFeatures
{
    /// <summary>Name of the environment variable that forces an instruction-set path.</summary>
    public const string EnvironmentVariable = "SEMOLA_ISA";

    private const long DefaultL2Bytes = 1L << 20;

    private static readonly object s_lock = new();
    private static CpuIsa? s_active;

    [ThreadStatic] private static CpuIsa? t_override;

    /// <summary>The widest path this processor supports.</summary>
    public static CpuIsa Best { get; } = DetectBest();

    /// <summary>
    /// The path the kernels use: <see cref="Best"/>, or the one named by <c>SEMOLA_ISA</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>SEMOLA_ISA</c> names an unknown path or one the processor lacks.</exception>
    public static CpuIsa Active
    {
        get
        {
            if (s_active is { } isa)
            {
                return isa;
            }

            lock (s_lock)
            {
                s_active ??= Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), Best);
                return s_active.Value;
            }
        }
    }

    /// <summary>Per-core level-2 cache size in bytes, read from the operating system where it tells (1 MiB otherwise).</summary>
    public static long L2CacheBytes { get; } = ReadL2Bytes();

    /// <summary>The path a kernel called on this thread uses: a test override if one is set, else <see cref="Active"/>.</summary>
    internal static CpuIsa Current => t_override ?? Active;

    /// <summary>True when this processor can run <paramref name="isa"/>.</summary>
    /// <param name="isa">The path to check.</param>
    public static bool IsSupported(CpuIsa isa) => isa switch
    {
        CpuIsa.Portable => true,
        CpuIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        CpuIsa.Avx512 => Avx512F.IsSupported && Fma.IsSupported && Vector512.IsHardwareAccelerated,
        _ => false,
    };

    /// <summary>Every path this processor can run, widest first.</summary>
    public static IReadOnlyList<CpuIsa> Supported { get; } =
        new[] { CpuIsa.Avx512, CpuIsa.Avx2, CpuIsa.Portable }.Where(IsSupported).ToArray();

    /// <summary>The lower-case name used by <c>SEMOLA_ISA</c> and the benchmark: avx512, avx2 or portable.</summary>
    /// <param name="isa">The path to name.</param>
    public static string Name(CpuIsa isa) => isa switch
    {
        CpuIsa.Avx512 => "avx512",
        CpuIsa.Avx2 => "avx2",
        _ => "portable",
    };

    /// <summary>
    /// Makes the kernels called on the current thread use <paramref name="isa"/> until the returned
    /// object is disposed (tests use this to run every path without touching the process environment).
    /// </summary>
    internal static IDisposable Override(CpuIsa isa)
    {
        if (!IsSupported(isa))
        {
            throw new InvalidOperationException($"The {Name(isa)} path is not supported by this processor.");
        }

        var previous = t_override;
        t_override = isa;
        return new Restore(previous);
    }

    /// <summary>
    /// The path selected by a <c>SEMOLA_ISA</c> value: <paramref name="best"/> when the value is
    /// empty, otherwise the named path, which must be known and no wider than <paramref name="best"/>.
    /// </summary>
    internal static CpuIsa Parse(string? value, CpuIsa best)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return best;
        }

        CpuIsa isa = value.Trim().ToLowerInvariant() switch
        {
            "avx512" => CpuIsa.Avx512,
            "avx2" => CpuIsa.Avx2,
            "portable" => CpuIsa.Portable,
            _ => throw new InvalidOperationException(
                $"{EnvironmentVariable}={value}: unknown instruction-set path; use avx512, avx2 or portable (or leave it unset)."),
        };
        if (isa > best)
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable}={value}: this processor does not support that path; the widest it supports is {Name(best)}.");
        }

        return isa;
    }

    private static CpuIsa DetectBest() =>
        IsSupported(CpuIsa.Avx512) ? CpuIsa.Avx512 : IsSupported(CpuIsa.Avx2) ? CpuIsa.Avx2 : CpuIsa.Portable;

    private static long ReadL2Bytes()
    {
        // Linux describes each cache of cpu0 under sysfs; elsewhere the default stands.
        try
        {
            const string root = "/sys/devices/system/cpu/cpu0/cache";
            if (!Directory.Exists(root))
            {
                return DefaultL2Bytes;
            }

            foreach (var dir in Directory.EnumerateDirectories(root, "index*"))
            {
                string level = File.ReadAllText(Path.Combine(dir, "level")).Trim();
                string type = File.ReadAllText(Path.Combine(dir, "type")).Trim();
                if (level != "2" || type == "Instruction")
                {
                    continue;
                }

                long bytes = ParseSize(File.ReadAllText(Path.Combine(dir, "size")).Trim());
                if (bytes >= 64 * 1024 && bytes <= 64L << 20)
                {
                    return bytes;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return DefaultL2Bytes;
    }

    // Sizes such as "1024K", "2M" or "524288".
    internal static long ParseSize(string text)
    {
        long unit = 1;
        if (text.EndsWith('K') || text.EndsWith('k'))
        {
            unit = 1024;
        }
        else if (text.EndsWith('M') || text.EndsWith('m'))
        {
            unit = 1L << 20;
        }

        string digits = unit == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v * unit : 0;
    }

    private sealed class Restore(CpuIsa? previous) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (!_done)
            {
                t_override = previous;
                _done = true;
            }
        }
    }
}

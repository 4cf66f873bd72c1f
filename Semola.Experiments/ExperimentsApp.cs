using CommandLine;

namespace Semola.Experiments;

/// <summary>The command line: parses a verb and its options and runs it. Returns the process exit code.</summary>
public static class ExperimentsApp
{
    /// <summary>Exit code for bad arguments.</summary>
    public const int UsageError = 2;

    /// <summary>The verbs this program understands (digits is the default), plus help.</summary>
    public static readonly IReadOnlyList<string> KnownVerbs = ["rotmnist", "nbody", "crc", "qm9", "compare", "discover", "report", "digits", "bench", "devices", "help"];

    /// <summary>
    /// Runs the command line <paramref name="args"/>, writing results to <paramref name="output"/> and errors to
    /// <paramref name="error"/>. <c>--config FILE</c> on any verb is expanded first (<see cref="ConfigFile"/>), and an
    /// experiment verb with --seeds or --shard runs its seed list (<see cref="SeedList"/>).
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        Semola.Kernels.Ilgpu.IlgpuDevices.Register();
        try
        {
            args = ConfigFile.Expand(args);
        }
        catch (ExperimentRunner.OptionException ex)
        {
            error.WriteLine($"error: {ex.Message} (see --help)");
            return UsageError;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {ex.Message}");
            return 1;
        }
        if (args.Length > 0 && !args[0].StartsWith('-') && !KnownVerbs.Contains(args[0], StringComparer.Ordinal))
        {
            error.WriteLine($"error: unknown verb '{args[0]}'; known verbs: {string.Join(", ", KnownVerbs)} (see --help).");
            return UsageError;
        }
        using var parser = new Parser(s =>
        {
            s.HelpWriter = error;
            s.AutoVersion = false;
        });
        var parsed = parser.ParseArguments<RotMnistOptions, NBodyOptions, CrcOptions, Qm9Options, CompareOptions, DiscoverOptions, ReportOptions, DigitsOptions, BenchOptions, DevicesOptions>(args);
        bool verbose = args.Contains("--verbose", StringComparer.Ordinal);
        bool experiment = parsed.Value is ExperimentOptions or DiscoverOptions;
        try
        {
            if (parsed.Value is ExperimentOptions { Seeds: not null } or ExperimentOptions { Shard: not null })
            {
                return SeedList.Run((ExperimentOptions)parsed.Value, args, output, error);
            }
            return parsed.MapResult(
                (RotMnistOptions o) => RotMnistCommand.Run(o, output, error),
                (NBodyOptions o) => NBodyCommand.Run(o, output, error),
                (CrcOptions o) => CrcCommand.Run(o, output, error),
                (Qm9Options o) => Qm9Command.Run(o, output, error),
                (CompareOptions o) => CompareCommand.Run(o, output, error),
                (DiscoverOptions o) => DiscoverCommand.Run(o, output, error),
                (ReportOptions o) => ReportCommand.Run(o, output, error),
                (DigitsOptions o) => DigitsCommand.Run(o, output, error),
                (DevicesOptions o) => DevicesCommand.Run(o, output),
                (BenchOptions o) => BenchCommand.Run(o, output, error),
                errors => errors.All(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.HelpVerbRequestedError) ? 0 : UsageError);
        }
        catch (ExperimentRunner.OptionException ex)
        {
            error.WriteLine($"error: {ex.Message} (see --help)");
            return UsageError;
        }
        catch (ArgumentException ex) when (!experiment)
        {
            // The utility verbs validate their options as they start.
            error.WriteLine($"error: {ex.Message} (see --help)");
            return UsageError;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            error.WriteLine($"error: {ex.Message}");
            if (verbose)
            {
                error.WriteLine(ex.ToString());
            }
            return 1;
        }
        catch (Exception ex)
        {
            error.WriteLine($"error: unexpected failure ({ex.GetType().Name}): {ex.Message}{(verbose ? string.Empty : " (--verbose shows the stack trace)")}");
            if (verbose)
            {
                error.WriteLine(ex.ToString());
            }
            return 1;
        }
    }
}

using Semola.Experiments;

namespace Semola.Tests.Experiments;

/// <summary>Runs the experiments app's entry point in process, capturing its output.</summary>
internal static class App
{
    /// <summary>The exit code and what the command line printed to standard output and standard error.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = ExperimentsApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }
}

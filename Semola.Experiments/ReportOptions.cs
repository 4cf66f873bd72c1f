using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>report</c> verb: one self-contained HTML page from result directories.</summary>
[Verb("report", HelpText = "Turn result directories (runs, compare outputs, discover outputs) into one self-contained HTML page: summary tables, learned generators beside the reference, training curves and sample-efficiency plots as inline SVG; it opens in a browser with no network.")]
public sealed class ReportOptions
{
    /// <summary>Result directories.</summary>
    [Option("from", Separator = ',', HelpText = "Comma-separated result directories: each holds results.json, or directories holding them at any depth, or a compare output (table.csv).")]
    public IEnumerable<string> From { get; set; } = [];

    /// <summary>Output file.</summary>
    [Option("out", HelpText = "The HTML file to write (default: report.html in the first --from directory; a directory gets report.html inside).")]
    public string? Out { get; set; }

    /// <summary>Page title.</summary>
    [Option("title", Default = "Semola report", HelpText = "Title of the page.")]
    public string Title { get; set; } = "Semola report";
}

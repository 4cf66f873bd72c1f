using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>compare</c> verb: methods over seeds, as one table.</summary>
[Verb("compare", HelpText = "Run a list of methods over seeds for one experiment (or read finished result directories) and write a markdown and CSV table (mean and standard deviation over seeds) and a figure of each discovery method's learned generators.")]
public sealed class CompareOptions
{
    /// <summary>Experiment verb.</summary>
    [Option("experiment", HelpText = "rotmnist, nbody, crc or qm9: run --methods x --seeds with it (omit to only read --from).")]
    public string? Experiment { get; set; }

    /// <summary>Methods.</summary>
    [Option("methods", Default = "base,gt-aug,semola", HelpText = "Comma-separated methods to run.")]
    public string Methods { get; set; } = "base,gt-aug,semola";

    /// <summary>Seeds.</summary>
    [Option("seeds", Default = "1,2,3", HelpText = "Comma-separated seeds to run.")]
    public string Seeds { get; set; } = "1,2,3";

    /// <summary>Further options for every run.</summary>
    [Option("args", Default = "", HelpText = "Further options passed to every run, written as --args=\"--variant ood --epochs 4\".")]
    public string Args { get; set; } = string.Empty;

    /// <summary>Training fractions.</summary>
    [Option("fractions", HelpText = "Comma-separated training fractions, e.g. 0.1,0.25,0.5,1: the sample-efficiency study (adds sample-efficiency.svg).")]
    public string? Fractions { get; set; }

    /// <summary>Finished result directories.</summary>
    [Option("from", Separator = ',', HelpText = "Comma-separated result directories (each with results.json, or holding such directories at any depth) to include; discover results are left out.")]
    public IEnumerable<string> From { get; set; } = [];

    /// <summary>Option sweeps.</summary>
    [Option("sweep", Separator = ';', HelpText = "NAME=v1,v2,...: run every value of the experiment's option NAME too (e.g. --sweep lambda-dist=0.3,1,3); repeat --sweep (or separate with ';') for a grid. Run directories carry the values and the table gets a row per method and value.")]
    public IEnumerable<string> Sweep { get; set; } = [];

    /// <summary>Part of the sweep.</summary>
    [Option("shard", HelpText = "i/n: run only part i of n of the runs (methods x fractions x sweep values x seeds in this order; run k, from 0, when k mod n = i - 1), e.g. one task of a job array. A part writes no table: merge the parts with compare --from OUT.")]
    public string? Shard { get; set; }

    /// <summary>Output directory.</summary>
    [Option("out", Default = "runs/compare", HelpText = "Directory for the runs (OUT/METHOD-sSEED, with -fFRACTION and -NAMEVALUE of sweeps before -sSEED), config.json, table.md, table.csv and generators.svg.")]
    public string Out { get; set; } = "runs/compare";
}

using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>bench</c> verb: kernel and training-step timings on one device.</summary>
[Verb("bench", HelpText = "Measure GEMM, convolution and base-CNN training throughput on a device (CPU by default).")]
public sealed class BenchOptions
{
    /// <summary>Where to write the figures as JSON.</summary>
    [Option("json", HelpText = "Write the figures to this JSON file.")]
    public string? Json { get; set; }

    /// <summary>A fast smoke run: small shapes, one repeat, no warm-up.</summary>
    [Option("quick", HelpText = "Fast smoke run (small shapes, one repeat, no warm-up).")]
    public bool Quick { get; set; }

    /// <summary>The device to measure: cpu, auto, cuda[:i], opencl[:i] or ilgpu-cpu.</summary>
    [Option("device", Default = "cpu", HelpText = "Device: cpu, auto, cuda[:i], opencl[:i] or ilgpu-cpu.")]
    public string Device { get; set; } = "cpu";

    /// <summary>Also run the PyTorch reference scripts (bench/pytorch) and print Semola's speed-up over them.</summary>
    [Option("compare", HelpText = "Also run the PyTorch reference scripts in bench/pytorch (needs python3 with torch) and print the speed-ups.")]
    public bool Compare { get; set; }

    /// <summary>The Python interpreter for --compare (default: the first of python3, /usr/bin/python3 that has torch).</summary>
    [Option("python", HelpText = "Python interpreter for --compare (default: the first of python3, /usr/bin/python3 that imports torch).")]
    public string? Python { get; set; }

    /// <summary>Timed repeats per figure (the median is reported).</summary>
    [Option("repeats", Default = 3, HelpText = "Timed repeats per figure; the median is reported.")]
    public int Repeats { get; set; } = 3;
}

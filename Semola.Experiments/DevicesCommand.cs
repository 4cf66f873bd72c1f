using Semola.Kernels;

namespace Semola.Experiments;

/// <summary>The <c>devices</c> verb: prints every device found.</summary>
public static class DevicesCommand
{
    /// <summary>Runs the verb.</summary>
    public static int Run(DevicesOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var line in DeviceSelector.List())
        {
            output.WriteLine(line);
        }
        return 0;
    }
}

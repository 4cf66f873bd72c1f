using CommandLine;

namespace Semola.Experiments;

/// <summary>Options of the <c>devices</c> verb.</summary>
[Verb("devices", HelpText = "List the devices this machine offers.")]
public sealed class DevicesOptions
{
}

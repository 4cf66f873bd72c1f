namespace Semola.Tests.Autodiff;

/// <summary>Tests that read process-wide counters (live buffers) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (live-buffer counters)";
}

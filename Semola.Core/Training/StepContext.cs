namespace Semola.Core.Training;

/// <summary>What the core hands a method for one step.</summary>
/// <param name="Epoch">The 1-based epoch (counting discovery epochs).</param>
/// <param name="Step">Optimizer steps taken before this one in the whole run.</param>
/// <param name="Rng">The method's random stream for this epoch (derived from seed and epoch).</param>
public sealed record StepContext(int Epoch, long Step, Random Rng);

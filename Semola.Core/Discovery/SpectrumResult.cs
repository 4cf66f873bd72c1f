namespace Semola.Core.Discovery;

/// <summary>A model's symmetry spectrum (<see cref="SymmetrySpectrum.Compute"/>).</summary>
/// <param name="Values">Normalised singular values, ascending.</param>
/// <param name="Count">How many of the smallest are symmetry directions (a clear gap), 0 if none.</param>
/// <param name="Directions">The singular vectors of the counted values, as unit-norm C x C matrices.</param>
/// <param name="Rows">Rows (held-out samples times outputs) the spectrum was computed from.</param>
public sealed record SpectrumResult(double[] Values, int Count, IReadOnlyList<double[,]> Directions, int Rows);

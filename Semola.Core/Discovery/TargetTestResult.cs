namespace Semola.Core.Discovery;

/// <summary>The target test of one generator (<see cref="SymmetryTests.TargetTest"/>).</summary>
/// <param name="Magnitude">The test magnitude tau.</param>
/// <param name="Samples">Held-out rows.</param>
/// <param name="LossOriginal">Mean loss on the original rows.</param>
/// <param name="LossTransformed">Mean loss on the transformed rows.</param>
/// <param name="Ratio">LossTransformed / LossOriginal.</param>
/// <param name="RatioLow">Bootstrap 2.5% quantile of the ratio.</param>
/// <param name="RatioHigh">Bootstrap 97.5% quantile of the ratio.</param>
/// <param name="Statistic">Student t of the mean of l(g.x) - tolerance l(x).</param>
/// <param name="PValue">One-sided p-value of H0 "a symmetry within the tolerance".</param>
/// <param name="Tolerance">The tolerance factor.</param>
public sealed record TargetTestResult(double Magnitude, int Samples, double LossOriginal, double LossTransformed, double Ratio, double RatioLow, double RatioHigh, double Statistic, double PValue, double Tolerance);

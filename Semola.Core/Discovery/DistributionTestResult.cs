namespace Semola.Core.Discovery;

/// <summary>The classifier two-sample test of one generator (<see cref="SymmetryTests.DistributionTest"/>).</summary>
/// <param name="Magnitude">The test magnitude tau.</param>
/// <param name="Samples">Rows the classifier was scored on.</param>
/// <param name="Accuracy">Its accuracy there (1/2 under H0).</param>
/// <param name="PValue">P(Binomial(Samples, 1/2) &gt;= correct answers).</param>
public sealed record DistributionTestResult(double Magnitude, int Samples, double Accuracy, double PValue);

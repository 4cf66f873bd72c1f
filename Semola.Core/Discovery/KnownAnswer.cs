using Semola.Core.Lie;

namespace Semola.Core.Discovery;

/// <summary>
/// Generated tables with a known answer for <c>discover</c> (<c>--data synthetic:NAME</c>) and its tests: the data, the
/// columns and component size to use, and the symmetry the target really has (for metrics only).
/// </summary>
/// <param name="Name">so3, lorentz, so2 or none.</param>
/// <param name="Inputs">Input values, row-major [Rows, InputColumns.Count].</param>
/// <param name="Targets">Target values, row-major [Rows, TargetColumns.Count].</param>
/// <param name="InputColumns">Input column names.</param>
/// <param name="TargetColumns">Target column names.</param>
/// <param name="Component">Size C of the blocks the group acts on.</param>
/// <param name="Equivariant">Whether the target transforms with the inputs (else it is invariant).</param>
/// <param name="Answer">The true symmetry's generators (empty: none).</param>
/// <param name="AnswerName">The reference name of the answer (so3, so13, so2) or "none".</param>
public sealed record KnownAnswer(string Name, float[] Inputs, float[] Targets, string[] InputColumns, string[] TargetColumns, int Component, bool Equivariant, IReadOnlyList<double[,]> Answer, string AnswerName)
{
    /// <summary>The generated data sets.</summary>
    public static readonly IReadOnlyList<string> Names = ["so3", "lorentz", "so2", "none"];

    /// <summary>Number of rows.</summary>
    public int Rows => Inputs.Length / InputColumns.Length;

    /// <summary>Generates <paramref name="rows"/> samples of the named data set from <paramref name="seed"/>.</summary>
    public static KnownAnswer Generate(string name, int rows, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        var rng = new Random(seed);
        double Normal()
        {
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }
        switch (name)
        {
            case "so3":
            {
                // Four 3-vectors; y = v1.v2 + 0.5 |v3| |v4| + 0.4 tanh(v1.v4) - 0.3 |v2|^2: invariant under O(3).
                const int m = 4;
                var x = new float[rows * m * 3];
                var y = new float[rows];
                for (int r = 0; r < rows; r++)
                {
                    var v = new double[m][];
                    for (int k = 0; k < m; k++)
                    {
                        v[k] = [Normal(), Normal(), Normal()];
                        for (int d = 0; d < 3; d++)
                        {
                            x[(r * m + k) * 3 + d] = (float)v[k][d];
                        }
                    }
                    double Dot(int a, int b) => v[a][0] * v[b][0] + v[a][1] * v[b][1] + v[a][2] * v[b][2];
                    y[r] = (float)(Dot(0, 1) + 0.5 * Math.Sqrt(Dot(2, 2) * Dot(3, 3)) + 0.4 * Math.Tanh(Dot(0, 3)) - 0.3 * Dot(1, 1));
                }
                return new KnownAnswer(name, x, y, VectorColumns("v", m, "xyz"), ["y"], 3, false, LieAlgebraBases.So3(), "so3");
            }
            case "lorentz":
            {
                // Four 4-momenta (E, px, py, pz) of masses in [0.5, 1.5]; y = a sum of Minkowski products: Lorentz-invariant.
                const int m = 4;
                var x = new float[rows * m * 4];
                var y = new float[rows];
                double[,] w = { { 0, 1, 0.5, -0.4 }, { 0, 0, -0.6, 0.3 }, { 0, 0, 0, 0.8 }, { 0, 0, 0, 0 } };
                for (int r = 0; r < rows; r++)
                {
                    var p = new double[m][];
                    for (int k = 0; k < m; k++)
                    {
                        double mass = 0.5 + rng.NextDouble();
                        double px = Normal(), py = Normal(), pz = Normal();
                        p[k] = [Math.Sqrt(mass * mass + px * px + py * py + pz * pz), px, py, pz];
                        for (int d = 0; d < 4; d++)
                        {
                            x[(r * m + k) * 4 + d] = (float)p[k][d];
                        }
                    }
                    double Mink(int a, int b) => p[a][0] * p[b][0] - p[a][1] * p[b][1] - p[a][2] * p[b][2] - p[a][3] * p[b][3];
                    double s = 0;
                    for (int a = 0; a < m; a++)
                    {
                        for (int b = a + 1; b < m; b++)
                        {
                            s += w[a, b] * Mink(a, b);
                        }
                    }
                    y[r] = (float)(0.5 * s + 0.05 * Mink(0, 1) * Mink(2, 3));
                }
                return new KnownAnswer(name, x, y, VectorColumns("p", m, "txyz"), ["y"], 4, false, LieAlgebraBases.So13(), "so13");
            }
            case "so2":
            {
                // Three 2-vectors to one 2-vector: y = |x1|^2 x2 / 2 + (x1.x3) x1 / 2 - |x2| x3 / 2, equivariant under O(2).
                const int m = 3;
                var x = new float[rows * m * 2];
                var y = new float[rows * 2];
                for (int r = 0; r < rows; r++)
                {
                    var v = new double[m][];
                    for (int k = 0; k < m; k++)
                    {
                        v[k] = [Normal(), Normal()];
                        x[(r * m + k) * 2] = (float)v[k][0];
                        x[(r * m + k) * 2 + 1] = (float)v[k][1];
                    }
                    double n1 = v[0][0] * v[0][0] + v[0][1] * v[0][1];
                    double d13 = v[0][0] * v[2][0] + v[0][1] * v[2][1];
                    double n2 = Math.Sqrt(v[1][0] * v[1][0] + v[1][1] * v[1][1]);
                    for (int d = 0; d < 2; d++)
                    {
                        y[r * 2 + d] = (float)(0.5 * (n1 * v[1][d] + d13 * v[0][d] - n2 * v[2][d]));
                    }
                }
                return new KnownAnswer(name, x, y, VectorColumns("x", m, "xy"), ["yx", "yy"], 2, true, [LieAlgebraBases.So2()], "so2");
            }
            case "none":
            {
                // Three 3-vectors; linear terms a_b . v_b with independent a_1, a_2, a_3 leave no linear map acting alike on the
                // vectors (L^T a_b = 0 for three independent a_b forces L = 0), plus nonlinear terms.
                const int m = 3;
                var x = new float[rows * m * 3];
                var y = new float[rows];
                double[] a = [1, 0.5, -0.3, -0.4, 1, 0.6, 0.2, -0.7, 1];
                for (int r = 0; r < rows; r++)
                {
                    var v = new double[m * 3];
                    double lin = 0;
                    for (int k = 0; k < v.Length; k++)
                    {
                        v[k] = Normal();
                        x[r * m * 3 + k] = (float)v[k];
                        lin += a[k] * v[k];
                    }
                    y[r] = (float)(0.6 * lin + 0.5 * v[0] * v[4] + 0.3 * v[8] * v[8] + 0.6 * Math.Tanh(2 * v[2] + v[6]));
                }
                return new KnownAnswer(name, x, y, VectorColumns("v", m, "xyz"), ["y"], 3, false, [], "none");
            }
            default:
                throw new ArgumentException($"synthetic data '{name}' is unknown; expected one of {string.Join(", ", Names)}.");
        }
    }

    private static string[] VectorColumns(string prefix, int count, string axes) =>
        Enumerable.Range(1, count).SelectMany(k => axes.Select(a => $"{prefix}{k}{a}")).ToArray();
}

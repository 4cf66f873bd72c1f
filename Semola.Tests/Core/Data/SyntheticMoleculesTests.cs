using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class SyntheticMoleculesTests
{
    [Fact]
    public void MoleculesAreChemicallyPlausible()
    {
        var set = SyntheticMolecules.Generate(300, seed: 11);
        Assert.Equal(300, set.Count);
        Assert.InRange(set.AtomCounts.Min(), SyntheticMolecules.MinAtoms, 8);
        Assert.InRange(set.AtomCounts.Max(), 20, SyntheticMolecules.MaxAtoms);
        var typeCounts = new int[5];
        foreach (int t in set.TypeData)
        {
            typeCounts[t]++;
        }

        Assert.All(typeCounts, c => Assert.True(c > 0)); // every element occurs
        Assert.True(typeCounts[0] > typeCounts[1] && typeCounts[1] > typeCounts[3] && typeCounts[3] > typeCounts[4]);
        for (int m = 0; m < set.Count; m++)
        {
            var p = set.Positions(m);
            var types = set.Types(m);
            int n = set.AtomCounts[m];
            int heavy = 0;
            for (int i = 0; i < n; i++)
            {
                heavy += types[i] == 0 ? 0 : 1;
                double nearest = double.MaxValue;
                for (int j = 0; j < n; j++)
                {
                    if (i != j)
                    {
                        nearest = Math.Min(nearest, Distance(p, i, j));
                    }
                }

                // Every atom is bonded: its nearest neighbour is at a bond length (0.92..1.54 plus jitter).
                Assert.InRange(nearest, 0.88, 1.6);
            }

            Assert.InRange(heavy, 1, 9);
        }
    }

    [Fact]
    public void BondAnglesAreNearTetrahedral()
    {
        var set = SyntheticMolecules.Generate(50, seed: 3);
        var angles = new List<double>();
        for (int m = 0; m < set.Count; m++)
        {
            var p = set.Positions(m).ToArray();
            var types = set.Types(m).ToArray();
            int n = set.AtomCounts[m];
            for (int c = 0; c < n; c++)
            {
                // Bonded neighbours: closer than 1.6 Angstrom (non-bonded pairs are kept at 1.5 (H-H) or more apart).
                var bonded = Enumerable.Range(0, n).Where(j => j != c && Distance(p, c, j) < 1.6 && !(types[c] == 0 && types[j] == 0)).ToArray();
                for (int a = 0; a < bonded.Length; a++)
                {
                    for (int b = a + 1; b < bonded.Length; b++)
                    {
                        angles.Add(Angle(p, bonded[a], c, bonded[b]));
                    }
                }
            }
        }

        Assert.True(angles.Count > 500);
        Assert.InRange(angles.Average(), 105.0, 114.0);
        Assert.True(angles.Count(a => a < 85 || a > 140) < angles.Count / 50, "bond angles far from tetrahedral");
    }

    [Fact]
    public void TargetsAreInvariantToSe3TransformsReflectionsAndPermutations()
    {
        var set = SyntheticMolecules.Generate(40, seed: 7);
        var rng = new Random(99);
        for (int m = 0; m < set.Count; m++)
        {
            int n = set.AtomCounts[m];
            var p = set.Positions(m);
            var types = set.Types(m);
            double[] r = RandomOrthogonal(rng);
            double[] shift = [10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5];
            int[] perm = Enumerable.Range(0, n).ToArray();
            rng.Shuffle(perm);
            var moved = new double[3 * n];
            var movedTypes = new int[n];
            for (int i = 0; i < n; i++)
            {
                int src = perm[i];
                movedTypes[i] = types[src];
                for (int d = 0; d < 3; d++)
                {
                    moved[(3 * i) + d] = shift[d] + (r[3 * d] * p[3 * src]) + (r[(3 * d) + 1] * p[(3 * src) + 1]) + (r[(3 * d) + 2] * p[(3 * src) + 2]);
                }
            }

            double[] y = SyntheticMolecules.Targets(moved, movedTypes);
            var stored = set.Targets(m);
            for (int k = 0; k < 3; k++)
            {
                Assert.True(Math.Abs(y[k] - stored[k]) <= 1e-6 * Math.Max(1, Math.Abs(stored[k])), $"molecule {m}, target {k}: {y[k]} vs {stored[k]}");
            }

            // The targets do depend on the geometry: moving one atom changes them.
            moved[0] += 0.3;
            Assert.NotEqual(y[0], SyntheticMolecules.Targets(moved, movedTypes)[0]);
        }
    }

    [Fact]
    public void TargetsVaryAcrossMoleculesAndGapIsLumoMinusHomo()
    {
        var set = SyntheticMolecules.Generate(200, seed: 2);
        var homo = set.TargetColumn("homo");
        var lumo = set.TargetColumn("lumo");
        var gap = set.TargetColumn("gap");
        double mean = homo.Average();
        double std = Math.Sqrt(homo.Average(h => (h - mean) * (h - mean)));
        Assert.True(std > 20, $"homo spread {std}");
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(lumo[i] - homo[i], gap[i], 0.01);
        }
    }

    [Fact]
    public void SameSeedSameMolecules()
    {
        var a = SyntheticMolecules.Generate(30, seed: 4);
        var b = SyntheticMolecules.Generate(30, seed: 4);
        var c = SyntheticMolecules.Generate(30, seed: 5);
        Assert.Equal(a.PositionData, b.PositionData);
        Assert.Equal(a.TypeData, b.TypeData);
        Assert.Equal(a.TargetData, b.TargetData);
        Assert.NotEqual(a.TargetData, c.TargetData);
    }

    [Fact]
    public void CenteredAndBatchKeepTheMolecules()
    {
        var set = SyntheticMolecules.Generate(10, seed: 1);
        var centered = set.Centered();
        for (int m = 0; m < set.Count; m++)
        {
            var p = centered.Positions(m);
            for (int d = 0; d < 3; d++)
            {
                double mean = 0;
                for (int a = 0; a < set.AtomCounts[m]; a++)
                {
                    mean += p[(3 * a) + d];
                }

                Assert.True(Math.Abs(mean / set.AtomCounts[m]) < 1e-5);
            }
        }

        var batch = set.Batch([3, 1], maxAtoms: 29);
        Assert.Equal(2 * 29 * 3, batch.Positions.Length);
        Assert.Equal(set.AtomCounts[3], (int)batch.Mask.AsSpan(0, 29).ToArray().Sum());
        Assert.Equal(set.Positions(1)[4], batch.Positions[(29 * 3) + 4]);
        Assert.Equal(1f, batch.TypesOneHot[(29 * 5) + set.Types(1)[0]]);
        Assert.Equal(set.Targets(1)[2], batch.Targets[5]);
        Assert.Throws<ArgumentException>(() => set.Batch([0], maxAtoms: 2));
    }

    private static double Distance(ReadOnlySpan<float> p, int i, int j)
    {
        double dx = p[3 * i] - p[3 * j], dy = p[(3 * i) + 1] - p[(3 * j) + 1], dz = p[(3 * i) + 2] - p[(3 * j) + 2];
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }

    private static double Angle(ReadOnlySpan<float> p, int a, int c, int b)
    {
        double dot = 0;
        for (int d = 0; d < 3; d++)
        {
            dot += (p[(3 * a) + d] - p[(3 * c) + d]) * (p[(3 * b) + d] - p[(3 * c) + d]);
        }

        return Math.Acos(Math.Clamp(dot / (Distance(p, a, c) * Distance(p, b, c)), -1, 1)) * 180 / Math.PI;
    }

    // A random orthogonal matrix (rotation or reflection) by Gram-Schmidt on Gaussian columns.
    private static double[] RandomOrthogonal(Random rng)
    {
        var v = new double[3][];
        for (int i = 0; i < 3; i++)
        {
            v[i] = [rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5];
            for (int j = 0; j < i; j++)
            {
                double dot = v[i][0] * v[j][0] + v[i][1] * v[j][1] + v[i][2] * v[j][2];
                for (int d = 0; d < 3; d++)
                {
                    v[i][d] -= dot * v[j][d];
                }
            }

            double norm = Math.Sqrt(v[i].Sum(x => x * x));
            for (int d = 0; d < 3; d++)
            {
                v[i][d] /= norm;
            }
        }

        return [v[0][0], v[0][1], v[0][2], v[1][0], v[1][1], v[1][2], v[2][0], v[2][1], v[2][2]];
    }
}

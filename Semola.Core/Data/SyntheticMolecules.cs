namespace Semola.Core.Data;

/// <summary>
/// Generated molecule-like point sets with exactly invariant targets, the offline stand-in for QM9.
/// <para>
/// Each molecule is grown as a random tree: 1 to 9 heavy atoms (C, N, O, F with probabilities 0.70, 0.12,
/// 0.14, 0.04) joined by single bonds within their valences (C 4, N 3, O 2, F 1), every free valence then
/// filled with hydrogen, keeping molecules of 5 to 29 atoms (QM9's range). Atoms are placed one by one
/// at the bond length of their type pair (C-C 1.54, C-H 1.09, O-H 0.96 Angstrom, ...; jitter 0.01) in the
/// direction, among 64 random ones and the ideal one, closest to tetrahedral (109.47 degrees) with the
/// parent's other bonds, subject to minimum non-bonded distances (H-H 1.5, H-X 1.8, X-X 2.2 Angstrom).
/// The molecule is then rotated uniformly at random and shifted by a Gaussian offset.
/// </para>
/// <para>
/// The targets, named like QM9's ("homo", "lumo", "gap", in meV-like units), are sums over atom pairs of
/// type-dependent smooth functions of the distance (see <see cref="Targets"/>), so they are exactly
/// invariant to rotations, reflections, translations and permutations of the atoms.
/// </para>
/// </summary>
public static class SyntheticMolecules
{
    /// <summary>Smallest number of atoms of a generated molecule.</summary>
    public const int MinAtoms = 5;

    /// <summary>Largest number of atoms of a generated molecule.</summary>
    public const int MaxAtoms = 29;

    private static readonly int[] Valence = [1, 4, 3, 2, 1];

    // Single-bond lengths in Angstrom by type pair (H, C, N, O, F).
    private static readonly double[,] BondLength =
    {
        { 0.74, 1.09, 1.01, 0.96, 0.92 },
        { 1.09, 1.54, 1.47, 1.43, 1.35 },
        { 1.01, 1.47, 1.45, 1.40, 1.36 },
        { 0.96, 1.43, 1.40, 1.48, 1.42 },
        { 0.92, 1.35, 1.36, 1.42, 1.42 },
    };

    // Per-type coefficients of the pair weights c[a] * c[b] of the two target sums.
    private static readonly double[] HomoCoefficient = [0.3, 1.0, 1.4, 1.8, 2.2];
    private static readonly double[] LumoCoefficient = [0.5, 1.2, 0.8, 1.5, 0.6];

    private static readonly double TetrahedralCos = -1.0 / 3.0;

    // Random bond directions tried per atom (besides the ideal one).
    private const int Candidates = 64;

    /// <summary>
    /// Generates <paramref name="count"/> molecules (seeded: the same seed gives the same molecules) with
    /// targets "homo", "lumo" and "gap".
    /// </summary>
    /// <param name="count">Number of molecules.</param>
    /// <param name="seed">Random seed.</param>
    /// <param name="translationStd">Standard deviation (Angstrom) of each molecule's random offset per axis.</param>
    public static MoleculeDataSet Generate(int count, int seed, double translationStd = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(translationStd);
        var rng = new Random(seed);
        var counts = new int[count];
        var positions = new List<float>();
        var types = new List<int>();
        var targets = new float[count * 3];
        for (int m = 0; m < count; m++)
        {
            var (t, p) = Molecule(rng, translationStd);
            counts[m] = t.Length;
            types.AddRange(t);
            var stored = p.Select(v => (float)v).ToArray();
            positions.AddRange(stored);
            var y = Targets(stored.Select(v => (double)v).ToArray(), t);
            for (int k = 0; k < 3; k++)
            {
                targets[(3 * m) + k] = (float)y[k];
            }
        }

        return new MoleculeDataSet(counts, positions.ToArray(), types.ToArray(), targets, Qm9Reader.TargetNames);
    }

    /// <summary>
    /// The three targets of a molecule with the given coordinates ([atoms, 3] row-major, Angstrom) and
    /// types (0..4 for H, C, N, O, F), computed in double:
    /// <code>
    /// homo = -6000 - 50 / n * sum_{i&lt;j} h[t_i] h[t_j] exp(-(r_ij - 2.5)^2 / 0.72)
    /// lumo =   500 + 80 / n * sum_{i&lt;j} l[t_i] l[t_j] exp(-r_ij^2 / 18)
    /// gap  = lumo - homo
    /// </code>
    /// with n the number of atoms, h = (0.3, 1.0, 1.4, 1.8, 2.2) and l = (0.5, 1.2, 0.8, 1.5, 0.6) per type.
    /// </summary>
    public static double[] Targets(ReadOnlySpan<double> positions, ReadOnlySpan<int> types)
    {
        int n = types.Length;
        if (n < 1 || positions.Length != 3 * n)
        {
            throw new ArgumentException($"Expected 3 coordinates for each of the {n} atoms (at least one), found {positions.Length}.", nameof(positions));
        }

        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                double dx = positions[3 * i] - positions[3 * j];
                double dy = positions[(3 * i) + 1] - positions[(3 * j) + 1];
                double dz = positions[(3 * i) + 2] - positions[(3 * j) + 2];
                double r2 = (dx * dx) + (dy * dy) + (dz * dz);
                double r = Math.Sqrt(r2);
                s1 += HomoCoefficient[types[i]] * HomoCoefficient[types[j]] * Math.Exp(-(r - 2.5) * (r - 2.5) / 0.72);
                s2 += LumoCoefficient[types[i]] * LumoCoefficient[types[j]] * Math.Exp(-r2 / 18.0);
            }
        }

        double homo = -6000.0 - (50.0 * s1 / n);
        double lumo = 500.0 + (80.0 * s2 / n);
        return [homo, lumo, lumo - homo];
    }

    private static (int[] Types, double[] Positions) Molecule(Random rng, double translationStd)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            var result = TryMolecule(rng);
            if (result is not null)
            {
                var (types, positions) = result.Value;
                RotateAndShift(positions, rng, translationStd);
                return (types, positions);
            }
        }

        throw new InvalidOperationException("Could not place a molecule in 1000 attempts.");
    }

    private static (int[] Types, double[] Positions)? TryMolecule(Random rng)
    {
        int heavy = rng.Next(1, 10);
        var types = new List<int>();
        var parent = new List<int>();
        var free = new List<int>();
        types.Add(HeavyType(rng, allowFluorine: false));
        parent.Add(-1);
        free.Add(Valence[types[0]]);
        for (int k = 1; k < heavy; k++)
        {
            var open = Enumerable.Range(0, types.Count).Where(i => free[i] > 0).ToArray();
            if (open.Length == 0)
            {
                return null;
            }

            int p = open[rng.Next(open.Length)];
            int t = HeavyType(rng, allowFluorine: true);
            types.Add(t);
            parent.Add(p);
            free.Add(Valence[t] - 1);
            free[p]--;
        }

        int hydrogens = free.Sum();
        int n = heavy + hydrogens;
        if (n < MinAtoms || n > MaxAtoms)
        {
            return null;
        }

        for (int i = 0; i < heavy; i++)
        {
            for (int h = 0; h < free[i]; h++)
            {
                types.Add(0);
                parent.Add(i);
            }
        }

        var pos = new double[3 * n];
        var bonds = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            bonds[i] = [];
        }

        for (int i = 1; i < n; i++)
        {
            int p = parent[i];
            double length = BondLength[types[i], types[p]] + (0.01 * Gaussian(rng));
            if (!Place(i, p, length, types, pos, bonds[p], rng))
            {
                return null;
            }

            bonds[p].Add(i);
            bonds[i].Add(p);
        }

        return (types.ToArray(), pos);
    }

    private static bool Place(int atom, int parent, double length, List<int> types, double[] pos, List<int> parentBonds, Random rng)
    {
        var units = new List<(double X, double Y, double Z)>();
        double sx = 0, sy = 0, sz = 0;
        foreach (int b in parentBonds)
        {
            double dx = pos[3 * b] - pos[3 * parent], dy = pos[(3 * b) + 1] - pos[(3 * parent) + 1], dz = pos[(3 * b) + 2] - pos[(3 * parent) + 2];
            double norm = Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
            units.Add((dx / norm, dy / norm, dz / norm));
            sx += dx / norm;
            sy += dy / norm;
            sz += dz / norm;
        }

        double bestScore = double.PositiveInfinity;
        (double X, double Y, double Z) best = default;
        double sNorm = Math.Sqrt((sx * sx) + (sy * sy) + (sz * sz));
        for (int c = 0; c <= Candidates; c++)
        {
            (double X, double Y, double Z) d;
            if (c == 0)
            {
                if (units.Count < 3 || sNorm < 1e-6)
                {
                    continue;
                }

                d = (-sx / sNorm, -sy / sNorm, -sz / sNorm); // the ideal fourth direction of a tetrahedron
            }
            else
            {
                d = RandomUnit(rng);
            }

            double score = 0;
            foreach (var u in units)
            {
                double cos = (d.X * u.X) + (d.Y * u.Y) + (d.Z * u.Z);
                score += (cos - TetrahedralCos) * (cos - TetrahedralCos);
            }

            if (score >= bestScore)
            {
                continue;
            }

            double x = pos[3 * parent] + (length * d.X), y = pos[(3 * parent) + 1] + (length * d.Y), z = pos[(3 * parent) + 2] + (length * d.Z);
            bool clear = true;
            for (int other = 0; other < atom && clear; other++)
            {
                if (other == parent)
                {
                    continue;
                }

                double ox = x - pos[3 * other], oy = y - pos[(3 * other) + 1], oz = z - pos[(3 * other) + 2];
                double min = MinDistance(types[atom], types[other]);
                clear = (ox * ox) + (oy * oy) + (oz * oz) >= min * min;
            }

            if (clear)
            {
                bestScore = score;
                best = d;
            }
        }

        // Reject placements far from tetrahedral (over about 20 degrees off for a single neighbour bond).
        if (bestScore > 0.12 * Math.Max(1, units.Count))
        {
            return false;
        }

        pos[3 * atom] = pos[3 * parent] + (length * best.X);
        pos[(3 * atom) + 1] = pos[(3 * parent) + 1] + (length * best.Y);
        pos[(3 * atom) + 2] = pos[(3 * parent) + 2] + (length * best.Z);
        return true;
    }

    private static double MinDistance(int a, int b) => (a == 0, b == 0) switch
    {
        (true, true) => 1.5,
        (false, false) => 2.2,
        _ => 1.8,
    };

    private static int HeavyType(Random rng, bool allowFluorine)
    {
        double u = rng.NextDouble() * (allowFluorine ? 1.0 : 0.96);
        return u < 0.70 ? 1 : u < 0.82 ? 2 : u < 0.96 ? 3 : 4;
    }

    // Uniform on the sphere (Archimedes: z uniform in [-1, 1], azimuth uniform).
    private static (double X, double Y, double Z) RandomUnit(Random rng)
    {
        double z = (2 * rng.NextDouble()) - 1;
        double rho = Math.Sqrt(Math.Max(0, 1 - (z * z)));
        var (sin, cos) = Math.SinCos(2 * Math.PI * rng.NextDouble());
        return (rho * cos, rho * sin, z);
    }

    private static void RotateAndShift(double[] pos, Random rng, double translationStd)
    {
        var r = RandomRotation(rng);
        double tx = translationStd * Gaussian(rng), ty = translationStd * Gaussian(rng), tz = translationStd * Gaussian(rng);
        for (int i = 0; i < pos.Length; i += 3)
        {
            double x = pos[i], y = pos[i + 1], z = pos[i + 2];
            pos[i] = (r[0] * x) + (r[1] * y) + (r[2] * z) + tx;
            pos[i + 1] = (r[3] * x) + (r[4] * y) + (r[5] * z) + ty;
            pos[i + 2] = (r[6] * x) + (r[7] * y) + (r[8] * z) + tz;
        }
    }

    /// <summary>A rotation matrix (row-major 3x3) drawn uniformly from SO(3) via a random unit quaternion.</summary>
    internal static double[] RandomRotation(Random rng)
    {
        double w = Gaussian(rng), x = Gaussian(rng), y = Gaussian(rng), z = Gaussian(rng);
        double norm = Math.Sqrt((w * w) + (x * x) + (y * y) + (z * z));
        w /= norm;
        x /= norm;
        y /= norm;
        z /= norm;
        return
        [
            1 - (2 * ((y * y) + (z * z))), 2 * ((x * y) - (z * w)), 2 * ((x * z) + (y * w)),
            2 * ((x * y) + (z * w)), 1 - (2 * ((x * x) + (z * z))), 2 * ((y * z) - (x * w)),
            2 * ((x * z) - (y * w)), 2 * ((y * z) + (x * w)), 1 - (2 * ((x * x) + (y * y))),
        ];
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

namespace Semola.Core.Data;

/// <summary>
/// A set of small molecules held in memory: for each molecule its atoms' positions (Angstrom, x y z per
/// atom), their element types (an index into <see cref="Elements"/>: H, C, N, O, F) and one row of
/// regression targets (named by <see cref="TargetNames"/>; for QM9 the orbital energies in meV).
/// Molecules are stored one after another: atom <c>a</c> of molecule <c>m</c> is global atom
/// <c>AtomOffset(m) + a</c>, with coordinates at <c>3 * (AtomOffset(m) + a)</c>.
/// </summary>
public sealed class MoleculeDataSet
{
    /// <summary>Element symbols by type index: H, C, N, O, F.</summary>
    public static readonly IReadOnlyList<string> Elements = ["H", "C", "N", "O", "F"];

    /// <summary>Atomic numbers by type index: 1, 6, 7, 8, 9.</summary>
    public static readonly IReadOnlyList<int> AtomicNumbers = [1, 6, 7, 8, 9];

    /// <summary>Number of element types (5).</summary>
    public const int NumTypes = 5;

    private readonly int[] _offsets;

    /// <summary>Wraps the given arrays (no copy) after checking that they agree.</summary>
    /// <param name="atomCounts">Atoms per molecule, each at least 1.</param>
    /// <param name="positions">3 coordinates per atom, all finite.</param>
    /// <param name="types">One type index in 0..4 per atom.</param>
    /// <param name="targets">One row of <paramref name="targetNames"/>.Count values per molecule, all finite.</param>
    /// <param name="targetNames">Names of the target columns (distinct).</param>
    /// <param name="ids">Optional identifier per molecule (e.g. the QM9 index); defaults to 0, 1, 2, ...</param>
    /// <exception cref="ArgumentException">The arrays do not agree, or a value is out of range.</exception>
    public MoleculeDataSet(int[] atomCounts, float[] positions, int[] types, float[] targets, IReadOnlyList<string> targetNames, int[]? ids = null)
    {
        ArgumentNullException.ThrowIfNull(atomCounts);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(targetNames);
        if (targetNames.Count == 0 || targetNames.Distinct(StringComparer.Ordinal).Count() != targetNames.Count)
        {
            throw new ArgumentException("At least one target name is needed, and the names must be distinct.", nameof(targetNames));
        }

        _offsets = new int[atomCounts.Length + 1];
        for (int m = 0; m < atomCounts.Length; m++)
        {
            if (atomCounts[m] < 1)
            {
                throw new ArgumentException($"Molecule {m} has {atomCounts[m]} atoms; at least 1 is needed.", nameof(atomCounts));
            }

            long next = (long)_offsets[m] + atomCounts[m];
            if (next > int.MaxValue / 3)
            {
                throw new ArgumentException("Too many atoms in total.", nameof(atomCounts));
            }

            _offsets[m + 1] = (int)next;
        }

        int totalAtoms = _offsets[^1];
        if (types.Length != totalAtoms)
        {
            throw new ArgumentException($"Expected {totalAtoms} atom types (the sum of the atom counts), found {types.Length}.", nameof(types));
        }

        if (positions.Length != 3 * totalAtoms)
        {
            throw new ArgumentException($"Expected {3 * totalAtoms} coordinates (3 per atom), found {positions.Length}.", nameof(positions));
        }

        if ((long)atomCounts.Length * targetNames.Count != targets.Length)
        {
            throw new ArgumentException($"Expected {atomCounts.Length} x {targetNames.Count} target values, found {targets.Length}.", nameof(targets));
        }

        for (int i = 0; i < types.Length; i++)
        {
            if ((uint)types[i] >= NumTypes)
            {
                throw new ArgumentException($"Atom {i} has type {types[i]}; expected 0..{NumTypes - 1} (H, C, N, O, F).", nameof(types));
            }
        }

        CheckFinite(positions, nameof(positions));
        CheckFinite(targets, nameof(targets));
        if (ids is not null && ids.Length != atomCounts.Length)
        {
            throw new ArgumentException($"Expected {atomCounts.Length} ids, found {ids.Length}.", nameof(ids));
        }

        AtomCounts = atomCounts;
        PositionData = positions;
        TypeData = types;
        TargetData = targets;
        TargetNames = targetNames.ToArray();
        Ids = ids ?? Enumerable.Range(0, atomCounts.Length).ToArray();
    }

    /// <summary>Number of molecules.</summary>
    public int Count => AtomCounts.Length;

    /// <summary>Atoms per molecule.</summary>
    public int[] AtomCounts { get; }

    /// <summary>All coordinates, 3 per atom, molecule after molecule.</summary>
    public float[] PositionData { get; }

    /// <summary>All type indices (0..4 for H, C, N, O, F), one per atom, molecule after molecule.</summary>
    public int[] TypeData { get; }

    /// <summary>All targets, <see cref="TargetNames"/>.Count per molecule, molecule after molecule.</summary>
    public float[] TargetData { get; }

    /// <summary>Names of the target columns.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>An identifier per molecule (the QM9 index for QM9, else 0, 1, 2, ...).</summary>
    public int[] Ids { get; }

    /// <summary>Total number of atoms over all molecules.</summary>
    public int TotalAtoms => _offsets[^1];

    /// <summary>The largest atom count (0 for an empty set).</summary>
    public int MaxAtoms => AtomCounts.Length == 0 ? 0 : AtomCounts.Max();

    /// <summary>Index of the first atom of molecule <paramref name="molecule"/> among all atoms.</summary>
    public int AtomOffset(int molecule)
    {
        CheckIndex(molecule);
        return _offsets[molecule];
    }

    /// <summary>The coordinates of molecule <paramref name="molecule"/>: [atoms, 3] row-major (a view).</summary>
    public ReadOnlySpan<float> Positions(int molecule)
    {
        CheckIndex(molecule);
        return PositionData.AsSpan(3 * _offsets[molecule], 3 * AtomCounts[molecule]);
    }

    /// <summary>The atom types of molecule <paramref name="molecule"/> (a view).</summary>
    public ReadOnlySpan<int> Types(int molecule)
    {
        CheckIndex(molecule);
        return TypeData.AsSpan(_offsets[molecule], AtomCounts[molecule]);
    }

    /// <summary>The targets of molecule <paramref name="molecule"/> (a view).</summary>
    public ReadOnlySpan<float> Targets(int molecule)
    {
        CheckIndex(molecule);
        return TargetData.AsSpan(molecule * TargetNames.Count, TargetNames.Count);
    }

    /// <summary>Column index of the target named <paramref name="name"/> (ordinal comparison).</summary>
    /// <exception cref="ArgumentException">No such target; the message lists the names there are.</exception>
    public int TargetIndex(string name)
    {
        for (int i = 0; i < TargetNames.Count; i++)
        {
            if (string.Equals(TargetNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"Unknown target '{name}'; this data set has {string.Join(", ", TargetNames)}.", nameof(name));
    }

    /// <summary>The values of one target column, one per molecule (a copy).</summary>
    public float[] TargetColumn(string name)
    {
        int t = TargetIndex(name);
        var column = new float[Count];
        for (int m = 0; m < Count; m++)
        {
            column[m] = TargetData[(m * TargetNames.Count) + t];
        }

        return column;
    }

    /// <summary>A copy holding the molecules at the given indices, in that order (repeats allowed).</summary>
    public MoleculeDataSet Subset(ReadOnlySpan<int> indices)
    {
        var counts = new int[indices.Length];
        var ids = new int[indices.Length];
        long atoms = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            CheckIndex(indices[i]);
            counts[i] = AtomCounts[indices[i]];
            ids[i] = Ids[indices[i]];
            atoms += counts[i];
        }

        int nt = TargetNames.Count;
        var positions = new float[3 * atoms];
        var types = new int[atoms];
        var targets = new float[indices.Length * nt];
        int at = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            int m = indices[i];
            Positions(m).CopyTo(positions.AsSpan(3 * at));
            Types(m).CopyTo(types.AsSpan(at));
            Targets(m).CopyTo(targets.AsSpan(i * nt));
            at += counts[i];
        }

        return new MoleculeDataSet(counts, positions, types, targets, TargetNames, ids);
    }

    /// <summary>A copy in which every molecule is translated so that the mean of its atom positions is the origin.</summary>
    public MoleculeDataSet Centered()
    {
        var positions = (float[])PositionData.Clone();
        for (int m = 0; m < Count; m++)
        {
            var p = positions.AsSpan(3 * _offsets[m], 3 * AtomCounts[m]);
            for (int d = 0; d < 3; d++)
            {
                double mean = 0;
                for (int a = 0; a < AtomCounts[m]; a++)
                {
                    mean += p[(3 * a) + d];
                }

                mean /= AtomCounts[m];
                for (int a = 0; a < AtomCounts[m]; a++)
                {
                    p[(3 * a) + d] = (float)(p[(3 * a) + d] - mean);
                }
            }
        }

        return new MoleculeDataSet(AtomCounts, positions, TypeData, TargetData, TargetNames, Ids);
    }

    /// <summary>
    /// The molecules at <paramref name="indices"/> as zero-padded dense arrays for a batched model (see
    /// <see cref="MoleculeBatch"/>), padded to <paramref name="maxAtoms"/> atoms (default: the largest
    /// molecule of this set, so that every batch has the same shape).
    /// </summary>
    /// <exception cref="ArgumentException">A molecule has more atoms than <paramref name="maxAtoms"/>.</exception>
    public MoleculeBatch Batch(ReadOnlySpan<int> indices, int maxAtoms = 0)
    {
        int a = maxAtoms > 0 ? maxAtoms : MaxAtoms;
        int b = indices.Length;
        int nt = TargetNames.Count;
        var positions = new float[b * a * 3];
        var oneHot = new float[b * a * NumTypes];
        var mask = new float[b * a];
        var targets = new float[b * nt];
        for (int i = 0; i < b; i++)
        {
            int m = indices[i];
            CheckIndex(m);
            int n = AtomCounts[m];
            if (n > a)
            {
                throw new ArgumentException($"Molecule {m} has {n} atoms, more than the padded size {a}.", nameof(maxAtoms));
            }

            Positions(m).CopyTo(positions.AsSpan(i * a * 3));
            var types = Types(m);
            for (int k = 0; k < n; k++)
            {
                oneHot[(((i * a) + k) * NumTypes) + types[k]] = 1f;
                mask[(i * a) + k] = 1f;
            }

            Targets(m).CopyTo(targets.AsSpan(i * nt));
        }

        return new MoleculeBatch(b, a, positions, oneHot, mask, targets);
    }

    private void CheckIndex(int molecule)
    {
        if ((uint)molecule >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(molecule), $"Molecule {molecule} is outside 0..{Count - 1}.");
        }
    }

    private static void CheckFinite(float[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException($"Value {i} of {name} is not finite.", name);
            }
        }
    }
}

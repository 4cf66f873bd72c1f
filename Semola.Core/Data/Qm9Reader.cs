using System.Globalization;
using System.Text;
using ICSharpCode.SharpZipLib.BZip2;

namespace Semola.Core.Data;

/// <summary>
/// Reads the QM9 data set in its standard form: one xyz file per molecule, <c>dsgdb9nsd_NNNNNN.xyz</c>,
/// either in a directory or in a tar archive (plain, gzip- or bzip2-compressed; the archive is
/// distributed as <c>dsgdb9nsd.xyz.tar.bz2</c>). Each file holds, one item per line:
/// <list type="number">
/// <item>the number of atoms n;</item>
/// <item>the properties line: <c>gdb</c>, the molecule's index, then 15 numbers (A, B, C, mu, alpha,
/// HOMO, LUMO, gap, r2, zpve, U0, U, H, G, Cv; energies in Hartree);</item>
/// <item>n atom lines: element (H, C, N, O or F), x, y, z in Angstrom and the Mulliken charge;</item>
/// <item>the 3n-6 (3n-5 for a linear molecule) harmonic frequencies;</item>
/// <item>two SMILES strings; two InChI strings.</item>
/// </list>
/// Numbers may use Mathematica's exponent notation (<c>1.5*^-6</c> for 1.5e-6). Fields are separated by
/// tabs or spaces. Anything else is an <see cref="InvalidDataException"/> naming the file and line.
/// </summary>
public static class Qm9Reader
{
    /// <summary>meV per Hartree (CODATA 2018: 27.211386245988 eV).</summary>
    public const double MevPerHartree = 27_211.386245988;

    /// <summary>Names of the targets of <see cref="Read"/>, in column order: HOMO, LUMO and gap, all in meV.</summary>
    public static readonly IReadOnlyList<string> TargetNames = ["homo", "lumo", "gap"];

    private const string FilePrefix = "dsgdb9nsd_";
    private const string FileSuffix = ".xyz";

    /// <summary>
    /// Reads the molecules at <paramref name="path"/> (a directory or an archive) into a data set whose
    /// targets are <see cref="TargetNames"/> in meV, ordered by file name (directory) or archive order.
    /// </summary>
    /// <param name="path">A directory of xyz files, or a .tar, .tar.gz or .tar.bz2 archive of them (detected by content).</param>
    /// <param name="limit">When positive, read only the first <paramref name="limit"/> molecules.</param>
    /// <param name="exclude">Indices of molecules to leave out (e.g. the 3,054 that failed QM9's consistency check).</param>
    /// <exception cref="FileNotFoundException">Neither a directory nor a file exists at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names the file and line), the archive is damaged, or no molecule file was found.</exception>
    public static MoleculeDataSet Read(string path, int limit = 0, IReadOnlySet<int>? exclude = null) =>
        ToDataSet(ReadMolecules(path, limit, exclude));

    /// <summary>Reads the molecules as written (see <see cref="Read"/> for the arguments).</summary>
    public static IReadOnlyList<Qm9Molecule> ReadMolecules(string path, int limit = 0, IReadOnlySet<int>? exclude = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var molecules = new List<Qm9Molecule>();
        var seen = new Dictionary<int, string>();
        int found = 0;
        bool Add(string source, byte[] bytes)
        {
            found++;
            var molecule = Parse(Encoding.UTF8.GetString(bytes), source);
            if (exclude is not null && exclude.Contains(molecule.Index))
            {
                return true;
            }

            if (!seen.TryAdd(molecule.Index, source))
            {
                throw new InvalidDataException($"{source}: molecule index {molecule.Index} was already read from {seen[molecule.Index]}.");
            }

            molecules.Add(molecule);
            return limit == 0 || molecules.Count < limit;
        }

        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => IsMoleculeFile(Path.GetFileName(f)))
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (files.Length == 0)
            {
                throw new InvalidDataException($"{path}: no QM9 molecule files ({FilePrefix}*{FileSuffix}) in this directory.");
            }

            foreach (string file in files)
            {
                if (!Add(file, File.ReadAllBytes(file)))
                {
                    break;
                }
            }
        }
        else
        {
            DataFile.RequireExists(path);
            ReadArchive(path, Add);
            if (found == 0)
            {
                throw new InvalidDataException($"{path}: no QM9 molecule files ({FilePrefix}*{FileSuffix}) in this archive.");
            }
        }

        return molecules;
    }

    /// <summary>
    /// Reads the list of molecules that failed QM9's geometry consistency check (the distributed
    /// <c>uncharacterized.txt</c>, 3,054 molecules): every line whose first field is an integer names a
    /// molecule index; other lines (titles, column headers) are skipped. Pass the result as <c>exclude</c>
    /// to <see cref="Read"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">No index was found, or an index is not positive.</exception>
    public static IReadOnlySet<int> ReadExcludedIndices(string path)
    {
        using var reader = DataFile.OpenText(path);
        var indices = new HashSet<int>();
        int lineNo = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var fields = Fields(line);
            if (fields.Length > 0 && int.TryParse(fields[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int index))
            {
                if (index < 1)
                {
                    throw new InvalidDataException($"{path}:{lineNo}: molecule index {index} is not positive.");
                }

                indices.Add(index);
            }
        }

        if (indices.Count == 0)
        {
            throw new InvalidDataException($"{path}: no molecule indices found (expected lines starting with an index).");
        }

        return indices;
    }

    /// <summary>A data set of the given molecules with targets HOMO, LUMO and gap converted to meV.</summary>
    public static MoleculeDataSet ToDataSet(IReadOnlyList<Qm9Molecule> molecules)
    {
        ArgumentNullException.ThrowIfNull(molecules);
        int atoms = molecules.Sum(m => m.AtomCount);
        var counts = new int[molecules.Count];
        var ids = new int[molecules.Count];
        var positions = new float[3 * atoms];
        var types = new int[atoms];
        var targets = new float[molecules.Count * 3];
        int at = 0;
        for (int i = 0; i < molecules.Count; i++)
        {
            var m = molecules[i];
            counts[i] = m.AtomCount;
            ids[i] = m.Index;
            for (int k = 0; k < m.Positions.Length; k++)
            {
                positions[(3 * at) + k] = (float)m.Positions[k];
            }

            m.Types.CopyTo(types, at);
            targets[3 * i] = (float)(m.HomoHartree * MevPerHartree);
            targets[(3 * i) + 1] = (float)(m.LumoHartree * MevPerHartree);
            targets[(3 * i) + 2] = (float)(m.GapHartree * MevPerHartree);
            at += m.AtomCount;
        }

        return new MoleculeDataSet(counts, positions, types, targets, TargetNames, ids);
    }

    /// <summary>Parses the text of one xyz file; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The text is not a well-formed QM9 xyz file.</exception>
    public static Qm9Molecule Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        while (lines.Count > 0 && string.IsNullOrWhiteSpace(lines[^1]))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{source}: empty file; expected a QM9 xyz file starting with the number of atoms.");
        }

        var first = Fields(lines[0]);
        if (first.Length != 1 || !int.TryParse(first[0], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || n > 1000)
        {
            throw new InvalidDataException($"{source}:1: expected the number of atoms (a positive integer) alone on the line, found '{lines[0].Trim()}'.");
        }

        int expectedLines = n + 5;
        string Line(int index)
        {
            if (index >= lines.Count)
            {
                throw new InvalidDataException(
                    $"{source}: truncated: {n} atoms need {expectedLines} lines (count, properties, {n} atoms, frequencies, SMILES, InChI), found {lines.Count}.");
            }

            return lines[index];
        }

        var props = Fields(Line(1));
        if (props.Length != 17 || props[0] != "gdb")
        {
            throw new InvalidDataException(
                $"{source}:2: expected the properties line 'gdb', index and 15 numbers (17 fields), found {props.Length} field(s) starting '{(props.Length > 0 ? props[0] : string.Empty)}'.");
        }

        if (!int.TryParse(props[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            throw new InvalidDataException($"{source}:2: the molecule index '{props[1]}' is not a non-negative integer.");
        }

        var properties = new double[15];
        for (int i = 0; i < 15; i++)
        {
            properties[i] = Number(props[i + 2], source, 2, $"property {i + 1}");
        }

        var types = new int[n];
        var positions = new double[3 * n];
        var charges = new double[n];
        for (int a = 0; a < n; a++)
        {
            int lineNo = a + 3;
            var f = Fields(Line(a + 2));
            if (f.Length != 5)
            {
                throw new InvalidDataException(
                    $"{source}:{lineNo}: expected an atom line 'element x y z charge' (5 fields) for atom {a + 1} of {n}, found {f.Length} field(s); is the atom count on line 1 wrong?");
            }

            int type = -1;
            for (int t = 0; t < MoleculeDataSet.NumTypes; t++)
            {
                if (string.Equals(f[0], MoleculeDataSet.Elements[t], StringComparison.Ordinal))
                {
                    type = t;
                }
            }

            if (type < 0)
            {
                throw new InvalidDataException($"{source}:{lineNo}: element '{f[0]}' is not one of H, C, N, O, F.");
            }

            types[a] = type;
            for (int d = 0; d < 3; d++)
            {
                positions[(3 * a) + d] = Number(f[d + 1], source, lineNo, "xyz"[d] + " coordinate");
            }

            charges[a] = Number(f[4], source, lineNo, "charge");
        }

        int freqLine = n + 3;
        var freqFields = Fields(Line(n + 2));
        int linear = Math.Max(0, (3 * n) - 5), nonlinear = Math.Max(0, (3 * n) - 6);
        if (freqFields.Length != linear && freqFields.Length != nonlinear)
        {
            throw new InvalidDataException(
                $"{source}:{freqLine}: expected {nonlinear} (or {linear} for a linear molecule) harmonic frequencies for {n} atoms, found {freqFields.Length} field(s); is the atom count on line 1 wrong?");
        }

        var frequencies = new double[freqFields.Length];
        for (int i = 0; i < frequencies.Length; i++)
        {
            frequencies[i] = Number(freqFields[i], source, freqLine, $"frequency {i + 1}");
        }

        var smiles = Fields(Line(n + 3));
        if (smiles.Length != 2)
        {
            throw new InvalidDataException($"{source}:{n + 4}: expected two SMILES strings, found {smiles.Length} field(s).");
        }

        var inchi = Fields(Line(n + 4));
        if (inchi.Length != 2 || !inchi.All(s => s.StartsWith("InChI=", StringComparison.Ordinal)))
        {
            throw new InvalidDataException($"{source}:{n + 5}: expected two InChI strings (each starting 'InChI='), found '{lines[n + 4].Trim()}'.");
        }

        if (lines.Count > expectedLines)
        {
            throw new InvalidDataException(
                $"{source}:{expectedLines + 1}: unexpected extra line after the InChI line ({n} atoms need {expectedLines} lines); is the atom count on line 1 wrong?");
        }

        return new Qm9Molecule(index, types, positions, charges, properties, frequencies, smiles, inchi);
    }

    /// <summary>True for a QM9 molecule file name, <c>dsgdb9nsd_*.xyz</c>.</summary>
    public static bool IsMoleculeFile(string fileName) =>
        fileName.StartsWith(FilePrefix, StringComparison.Ordinal) && fileName.EndsWith(FileSuffix, StringComparison.Ordinal) && fileName.Length > FilePrefix.Length + FileSuffix.Length;

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static double Number(string field, string source, int line, string what)
    {
        string s = field.Replace("*^", "e", StringComparison.Ordinal);
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new InvalidDataException($"{source}:{line}: {what} '{field}' is not a finite number.");
        }

        return value;
    }

    private static void ReadArchive(string path, Func<string, byte[], bool> add)
    {
        Span<byte> head = stackalloc byte[3];
        using (var probe = File.OpenRead(path))
        {
            int got = probe.ReadAtLeast(head, 3, throwOnEndOfStream: false);
            head = head[..got];
        }

        bool bzip2 = head.Length == 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h';
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Stream stream = bzip2
                ? new BZip2InputStream(file) { IsStreamOwner = false }
                : DataFile.IsGzip(head)
                    ? new MemoryStream(DataFile.ReadAllBytes(path), writable: false)
                    : file;
            using (stream)
            {
                TarEntries.Read(stream, path, (name, data) =>
                    !IsMoleculeFile(Path.GetFileName(name)) || add($"{path}:{name}", data));
            }
        }
        catch (Exception ex) when (bzip2 && ex is not InvalidDataException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: the bzip2 data is damaged or truncated ({ex.Message}).", ex);
        }
    }
}

using System.Formats.Tar;
using System.Text;
using ICSharpCode.SharpZipLib.BZip2;
using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class Qm9ReaderTests
{
    // Methane in the QM9 layout (tabs between fields, one coordinate in Mathematica exponent notation).
    private const string Methane =
        "5\n" +
        "gdb 1\t157.7118\t157.70997\t157.70699\t0.\t13.21\t-0.3877\t0.1171\t0.5048\t35.3641\t0.044749\t-40.47893\t-40.476062\t-40.475117\t-40.498597\t6.469\t\n" +
        "C\t-0.0126981359\t 1.0858041578\t 0.0080009958\t-0.535689\n" +
        "H\t 0.002150416\t-0.0060313176\t 0.0019761204\t 0.133921\n" +
        "H\t 1.0117308433\t 1.4637511618\t 2.765748*^-4\t 0.133922\n" +
        "H\t-0.540815069\t 1.4475266138\t-0.8766437152\t 0.133923\n" +
        "H\t-0.5238136345\t 1.4379326443\t 0.9063972942\t 0.133923\n" +
        "1341.307\t1341.3284\t1341.365\t1562.6731\t1562.7453\t3038.3205\t3151.6034\t3151.6788\t3151.7078\n" +
        "C\tC\t\n" +
        "InChI=1S/CH4/h1H4\tInChI=1S/CH4/h1H4\n";

    // Water: 3 atoms, 3 frequencies.
    private const string Water =
        "3\n" +
        "gdb 3\t799.58812\t437.90386\t282.94545\t1.8511\t6.31\t-0.2928\t0.0687\t0.3615\t19.0002\t0.021375\t-76.404702\t-76.401867\t-76.400922\t-76.422349\t6.002\t\n" +
        "O\t-0.0343604951\t 0.9775395708\t 0.0076015923\t-0.589706\n" +
        "H\t 0.0647664456\t 0.0205721433\t 0.0015346072\t 0.294853\n" +
        "H\t 0.8717903249\t 1.3007924716\t 0.0006931869\t 0.294853\n" +
        "1687.9105\t3706.7774\t3803.5497\n" +
        "O\tO\t\n" +
        "InChI=1S/H2O/h1H2\tInChI=1S/H2O/h1H2\n";

    [Fact]
    public void ParsesOneFile()
    {
        var m = Qm9Reader.Parse(Methane, "m.xyz");
        Assert.Equal(1, m.Index);
        Assert.Equal(5, m.AtomCount);
        Assert.Equal([1, 0, 0, 0, 0], m.Types);
        Assert.Equal(-0.3877, m.HomoHartree);
        Assert.Equal(0.1171, m.LumoHartree);
        Assert.Equal(0.5048, m.GapHartree);
        Assert.Equal(6.469, m.Properties[14]);
        Assert.Equal(2.765748e-4, m.Positions[(3 * 2) + 2], 12);
        Assert.Equal(-0.535689, m.Charges[0]);
        Assert.Equal(9, m.Frequencies.Length);
        Assert.Equal(["C", "C"], m.Smiles);
        Assert.Equal("InChI=1S/CH4/h1H4", m.InChI[1]);
    }

    [Fact]
    public void ReadsDirectoryWithTargetsInMev()
    {
        using var dir = new TempDirectory();
        dir.WriteText("dsgdb9nsd_000003.xyz", Water);
        dir.WriteText("dsgdb9nsd_000001.xyz", Methane.Replace("\n", "\r\n", StringComparison.Ordinal));
        dir.WriteText("readme.txt", "not a molecule");
        var set = Qm9Reader.Read(dir.Path);
        Assert.Equal(2, set.Count);
        Assert.Equal([1, 3], set.Ids);
        Assert.Equal([5, 3], set.AtomCounts);
        Assert.Equal(["homo", "lumo", "gap"], set.TargetNames);
        Assert.Equal(-0.3877 * 27_211.386245988, set.Targets(0)[0], 2);
        Assert.Equal(0.3615 * 27_211.386245988, set.Targets(1)[2], 2);
        Assert.Equal(3, set.Types(1)[0]);
        Assert.Equal(0.9775395708f, set.Positions(1)[1]);
        Assert.Single(Qm9Reader.Read(dir.Path, limit: 1).Ids);
        Assert.Equal([3], Qm9Reader.Read(dir.Path, exclude: new HashSet<int> { 1 }).Ids);
    }

    private static byte[] Tar(params (string Name, string Text)[] files)
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
        {
            writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, "dsgdb9nsd/"));
            foreach (var (name, text) in files)
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        return output.ToArray();
    }

    private static byte[] Bzip2(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var bz = new BZip2OutputStream(output) { IsStreamOwner = false })
        {
            bz.Write(bytes);
        }

        return output.ToArray();
    }

    [Fact]
    public void ReadsTarArchivesPlainGzipAndBzip2()
    {
        using var dir = new TempDirectory();
        byte[] tar = Tar(("dsgdb9nsd_000001.xyz", Methane), ("dsgdb9nsd/dsgdb9nsd_000003.xyz", Water));
        foreach (var (name, bytes) in new[] { ("q.tar", tar), ("q.tar.gz", TempDirectory.Gzip(tar)), ("q.tar.bz2", Bzip2(tar)) })
        {
            var set = Qm9Reader.Read(dir.Write(name, bytes));
            Assert.Equal([1, 3], set.Ids);
            Assert.Equal(8, set.TotalAtoms);
        }
    }

    [Fact]
    public void RejectsTruncatedArchives()
    {
        using var dir = new TempDirectory();
        byte[] tar = Tar(("dsgdb9nsd_000001.xyz", Methane), ("dsgdb9nsd_000003.xyz", Water));

        // Cut at a block boundary right after the first molecule: no end-of-archive marker.
        string atBoundary = dir.Write("cut.tar", tar[..(512 * 4)]);
        var ex = Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(atBoundary));
        Assert.Contains("cut.tar", ex.Message);
        Assert.Contains("end-of-archive", ex.Message);

        // Cut inside an entry's data.
        string inside = dir.Write("inside.tar", tar[..((512 * 3) + 100)]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(inside)).Message);

        // A bzip2 archive cut short.
        byte[] bz = Bzip2(tar);
        foreach (int cut in new[] { 1, 3, 20, bz.Length / 2 })
        {
            string cutBz = dir.Write($"cut{cut}.tar.bz2", bz[..(bz.Length - cut)]);
            Assert.Contains(cutBz, Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(cutBz)).Message);
        }

        byte[] corrupt = (byte[])bz.Clone();
        corrupt[bz.Length / 2] ^= 0x10;
        string corruptBz = dir.Write("corrupt.tar.bz2", corrupt);
        Assert.Contains(corruptBz, Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(corruptBz)).Message);

        // A damaged header.
        byte[] damaged = (byte[])tar.Clone();
        damaged[512 + 3] ^= 0x20;
        Assert.Contains("checksum", Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(dir.Write("bad.tar", damaged))).Message);
    }

    [Theory]
    [InlineData("truncated", 1, "truncated")] // the InChI line is missing
    [InlineData("count6", 0, ":8:")] // 6 atoms announced, line 8 (the frequencies) is not an atom line
    [InlineData("count4", 0, ":7:")] // 4 atoms announced, line 7 (the fifth atom) is read as frequencies
    [InlineData("coordinate", 0, ":4: y coordinate '-0.006O313176'")]
    [InlineData("element", 0, ":5: element 'Cl'")]
    [InlineData("property", 0, ":2: property 6")]
    [InlineData("fields", 0, ":2: expected the properties line")]
    [InlineData("frequency", 0, ":8: frequency 2")]
    [InlineData("inchi", 0, ":10: expected two InChI")]
    [InlineData("empty", 0, "empty file")]
    public void RejectsMalformedFilesNamingFileAndLine(string broken, int dropLines, string expected)
    {
        string text = broken switch
        {
            "count6" => "6" + Methane[1..],
            "count4" => "4" + Methane[1..],
            "coordinate" => Methane.Replace("-0.0060313176", "-0.006O313176", StringComparison.Ordinal),
            "element" => Methane.Replace("H\t 1.0117308433", "Cl\t 1.0117308433", StringComparison.Ordinal),
            "property" => Methane.Replace("-0.3877", "-0.38x77", StringComparison.Ordinal),
            "fields" => Methane.Replace("\t6.469", string.Empty, StringComparison.Ordinal),
            "frequency" => Methane.Replace("1341.3284", "NaN", StringComparison.Ordinal),
            "inchi" => Methane.Replace("InChI=1S/CH4/h1H4\tInChI", "InChI=1S/CH4/h1H4 x InChI", StringComparison.Ordinal),
            "empty" => "\n\n",
            _ => Methane,
        };
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        text = string.Join('\n', lines[..(lines.Length - dropLines)]) + "\n";

        using var dir = new TempDirectory();
        string path = dir.WriteText("dsgdb9nsd_000001.xyz", text);
        var ex = Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(dir.Path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void RejectsEmptyDirectoryDuplicatesAndMissingPath()
    {
        using var dir = new TempDirectory();
        Assert.Contains("no QM9 molecule files", Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(dir.Path)).Message);
        dir.WriteText("dsgdb9nsd_000001.xyz", Methane);
        dir.WriteText("dsgdb9nsd_000002.xyz", Methane);
        Assert.Contains("already read", Assert.Throws<InvalidDataException>(() => Qm9Reader.Read(dir.Path)).Message);
        Assert.Throws<FileNotFoundException>(() => Qm9Reader.Read(System.IO.Path.Combine(dir.Path, "missing.tar.bz2")));
    }

    [Fact]
    public void ReadsTheExclusionList()
    {
        using var dir = new TempDirectory();
        string list = dir.WriteText("uncharacterized.txt", "Molecules failing the consistency check\n\n   Index    Ref.     Opt.\n      21   C1CC1   CC=C\n    3 x y\n\nsummary line\n");
        Assert.Equal(new HashSet<int> { 21, 3 }, Qm9Reader.ReadExcludedIndices(list));
        dir.WriteText("dsgdb9nsd_000003.xyz", Water);
        dir.WriteText("dsgdb9nsd_000001.xyz", Methane);
        Assert.Equal([1], Qm9Reader.Read(dir.Path, exclude: Qm9Reader.ReadExcludedIndices(list)).Ids);
        Assert.Contains("no molecule indices", Assert.Throws<InvalidDataException>(() => Qm9Reader.ReadExcludedIndices(dir.WriteText("empty.txt", "title only\n"))).Message);
    }

    [Fact]
    public void SplitsAreDisjointDeterministicAndProportional()
    {
        var all = SyntheticMolecules.Generate(1000, seed: 5);
        var split = MoleculeSplit.Standard(all, seed: 1);
        Assert.Equal(764, split.Train.Count); // 1000 * 100,000 / 130,831
        Assert.Equal(100, split.Test.Count);
        Assert.Equal(136, split.Validation.Count);
        var ids = split.Train.Ids.Concat(split.Validation.Ids).Concat(split.Test.Ids).ToArray();
        Assert.Equal(1000, ids.Distinct().Count());
        Assert.Equal(split.Test.Ids, MoleculeSplit.Standard(all, seed: 1).Test.Ids);
        Assert.NotEqual(split.Test.Ids, MoleculeSplit.Standard(all, seed: 2).Test.Ids);

        int m = split.Test.Ids[0];
        Assert.Equal(all.Positions(m).ToArray(), split.Test.Positions(0).ToArray());
        Assert.Equal(all.Targets(m).ToArray(), split.Test.Targets(0).ToArray());

        var byFraction = MoleculeSplit.ByFractions(all, 0.8, 0.1, seed: 3);
        Assert.Equal((800, 100, 100), (byFraction.Train.Count, byFraction.Validation.Count, byFraction.Test.Count));
        Assert.Throws<ArgumentException>(() => MoleculeSplit.ByCounts(all, 990, 10, seed: 0));
    }
}

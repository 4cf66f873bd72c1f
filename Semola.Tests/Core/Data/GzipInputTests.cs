using System.Globalization;
using System.Text;
using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

/// <summary>Every gzip input is read completely or not at all (issue: a cut .gz read as a shorter data set).</summary>
public class GzipInputTests
{
    private static string Csv(int trajectories, int steps)
    {
        var sb = new StringBuilder("trajectory,step,a,b,c,d\n");
        for (int n = 0; n < trajectories; n++)
        {
            for (int t = 0; t < steps; t++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{n},{t},{n * 0.25},{t * 0.5},{n + t},{(n * 7) % 5}\n");
            }
        }

        return sb.ToString();
    }

    /// <summary>A gzip stream of the first <paramref name="lines"/> lines, cut so that it decompresses to exactly those lines.</summary>
    private static byte[] CutAtLineBoundary(string text, int lines, out int bytesKept)
    {
        // Compress with a flush after the wanted lines, then drop everything after that flush point:
        // the remaining bytes decompress to exactly the first lines (no final block, no trailer).
        int cut = 0;
        for (int i = 0; i < lines; i++)
        {
            cut = text.IndexOf('\n', cut) + 1;
        }

        byte[] head = Encoding.UTF8.GetBytes(text[..cut]);
        byte[] tail = Encoding.UTF8.GetBytes(text[cut..]);
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(head);
            gzip.Flush();
            bytesKept = (int)output.Length;
            gzip.Write(tail);
        }

        return output.ToArray();
    }

    [Fact]
    public void CsvGzCutAtALineBoundaryIsRefusedNamingTheFile()
    {
        using var dir = new TempDirectory();
        string text = Csv(24, 5);
        byte[] full = CutAtLineBoundary(text, 1 + (12 * 5), out int kept);
        Assert.Equal(24, NBodyCsvReader.Read(dir.Write("full.csv.gz", full)).Count);

        // The premise: .NET's decompressor by itself yields the first 12 trajectories without complaint.
        using (var plain = new System.IO.Compression.GZipStream(new MemoryStream(full[..kept]), System.IO.Compression.CompressionMode.Decompress))
        using (var reader = new StreamReader(plain))
        {
            Assert.Equal(1 + (12 * 5), reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        }

        string cut = dir.Write("cut.csv.gz", full[..kept]);
        var ex = Assert.Throws<InvalidDataException>(() => NBodyCsvReader.Read(cut));
        Assert.Contains(cut, ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void GzCutAnywhereIsRefusedByEveryReader()
    {
        using var dir = new TempDirectory();
        byte[] csv = TempDirectory.Gzip(Encoding.UTF8.GetBytes(Csv(6, 4)));
        byte[] idx = TempDirectory.Gzip(TempDirectory.Idx([3, 4, 4], Enumerable.Range(0, 48).Select(i => (byte)i).ToArray()));
        byte[] json = TempDirectory.Gzip(Encoding.UTF8.GetBytes("{\"data\": [" + string.Join(",", Enumerable.Repeat("0.5", 784)) + "]}"));
        var readers = new (string Name, byte[] Full, Action<string> Read)[]
        {
            ("t.csv.gz", csv, p => NBodyCsvReader.Read(p)),
            ("i.idx.gz", idx, p => IdxReader.ReadArray(p)),
            ("d.json.gz", json, p => MnistJsonReader.ReadDigitFile(p)),
        };
        foreach (var (name, full, read) in readers)
        {
            read(dir.Write(name, full)); // the whole file is fine
            foreach (int cut in new[] { 1, 4, 8, 9, full.Length / 2, 15 })
            {
                string path = dir.Write($"cut{cut}-{name}", full[..(full.Length - cut)]);
                var ex = Assert.Throws<InvalidDataException>(() => read(path));
                Assert.Contains(path, ex.Message);
            }

            string trailing = dir.Write("trailing-" + name, [.. full, 0, 0, 0, 0, 0, 0, 0, 0]);
            Assert.Contains(trailing, Assert.Throws<InvalidDataException>(() => read(trailing)).Message);
        }
    }

    [Fact]
    public void CorruptGzBodyNamesTheFile()
    {
        using var dir = new TempDirectory();
        byte[] gz = TempDirectory.Gzip(Encoding.UTF8.GetBytes(Csv(20, 5)));
        for (int at = 12; at < gz.Length - 8; at += Math.Max(1, gz.Length / 7))
        {
            byte[] bad = (byte[])gz.Clone();
            bad[at] ^= 0x5A;
            string path = dir.Write($"bad{at}.csv.gz", bad);
            var ex = Assert.Throws<InvalidDataException>(() => NBodyCsvReader.Read(path));
            Assert.Contains(path, ex.Message);
        }
    }

    [Fact]
    public void ConcatenatedGzipMembersAreAccepted()
    {
        using var dir = new TempDirectory();
        string text = Csv(3, 4);
        int split = text.IndexOf("1,0,", StringComparison.Ordinal);
        byte[] two = [.. TempDirectory.Gzip(Encoding.UTF8.GetBytes(text[..split])), .. TempDirectory.Gzip(Encoding.UTF8.GetBytes(text[split..]))];
        var t = NBodyCsvReader.Read(dir.Write("two.csv.gz", two));
        Assert.Equal(3, t.Count);
        Assert.Equal(4, t.Steps);
        Assert.Equal(NBodyCsvReader.Read(dir.WriteText("plain.csv", text)).Data, t.Data);
    }
}

using System.Globalization;
using System.Text;
using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class NBodyReaderTests
{
    private static byte[] Npy(string descr, string shape, byte[] data, bool fortran = false, int version = 1)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({shape}), }}";
        int pre = version == 1 ? 10 : 12;
        int total = (pre + dict.Length + 1 + 63) / 64 * 64;
        string header = dict.PadRight(total - pre - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)version, 0 };
        if (version == 1)
        {
            bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        }
        else
        {
            bytes.AddRange(BitConverter.GetBytes((uint)header.Length));
        }
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return bytes.ToArray();
    }

    private static byte[] Floats(int count, bool dbl) =>
        Enumerable.Range(0, count).SelectMany(i => dbl ? BitConverter.GetBytes(i * 0.5) : BitConverter.GetBytes(i * 0.5f)).ToArray();

    [Theory]
    [InlineData("<f4", false, 1)]
    [InlineData("<f8", true, 1)]
    [InlineData("<f4", false, 2)]
    public void ReadsNpy(string descr, bool dbl, int version)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("t.npy", Npy(descr, "2, 3, 8", Floats(48, dbl), version: version));
        var t = NBodyNpyReader.Read(path);
        Assert.Equal(2, t.Count);
        Assert.Equal(3, t.Steps);
        Assert.Equal(8, t.StateSize);
        Assert.Equal(2, t.Bodies);
        Assert.Equal(47 * 0.5f, t.Data[47]);
        Assert.Equal(t.Data, NBodyNpyReader.Read(dir.Write("t.npy.gz", TempDirectory.Gzip(File.ReadAllBytes(path)))).Data);
    }

    [Theory]
    [InlineData("<f4", "2, 3, 8", 47, false, "truncated")]
    [InlineData("<f4", "2, 3, 8", 49, false, "truncated")]
    [InlineData("<f4", "6, 8", 48, false, "3-d")]
    [InlineData("<f4", "2, 3, 6", 36, false, "4 values")]
    [InlineData("<i4", "2, 3, 8", 48, false, "float32 or float64")]
    [InlineData("<f4", "2, 3, 8", 48, true, "Fortran")]
    public void RejectsMalformedNpy(string descr, string shape, int floats, bool fortran, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("bad.npy", Npy(descr, shape, Floats(floats, false), fortran));
        var ex = Assert.Throws<InvalidDataException>(() => NBodyNpyReader.Read(path));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void RejectsNonNpyAndTruncatedHeader()
    {
        using var dir = new TempDirectory();
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => NBodyNpyReader.Read(dir.WriteText("a.npy", "hello world, not numpy"))).Message);
        byte[] full = Npy("<f4", "1, 2, 4", Floats(8, false));
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => NBodyNpyReader.Read(dir.Write("b.npy", full[..40]))).Message);
    }

    private static string Csv(int trajectories, int steps, int size, bool header = true)
    {
        var sb = new StringBuilder();
        if (header)
        {
            sb.Append("trajectory,step,").Append(string.Join(",", Enumerable.Range(0, size).Select(c => "v" + c))).Append('\n');
        }
        for (int n = 0; n < trajectories; n++)
        {
            for (int t = 0; t < steps; t++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{n},{t}");
                for (int c = 0; c < size; c++)
                {
                    sb.Append(CultureInfo.InvariantCulture, $",{n * 100 + t * 10 + c * 0.5}");
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void ReadsCsv()
    {
        using var dir = new TempDirectory();
        var t = NBodyCsvReader.Read(dir.WriteText("t.csv", "# comment\n" + Csv(3, 4, 12)));
        Assert.Equal(3, t.Count);
        Assert.Equal(4, t.Steps);
        Assert.Equal(12, t.StateSize);
        Assert.Equal(3, t.Bodies);
        Assert.Equal(200 + 30 + 5.5f, t.Trajectory(2)[3 * 12 + 11]);
        Assert.Equal(2, NBodyCsvReader.Read(dir.WriteText("n.csv", Csv(2, 3, 8, header: false))).Count);
    }

    [Theory]
    [InlineData("0,0,1,2,3,4,5,6,7,8\n0,1,1,2,3,4,5,6,7\n", "fields")]
    [InlineData("0,0,1,2,3,4,5,6\n", "4 values")]
    [InlineData("0,0,1,2,3,4\n0,2,1,2,3,4\n", "step 2 where step 1")]
    [InlineData("0,0,1,2,3,4\n0,1,1,2,3,4\n1,0,1,2,3,4\n", "equally long")]
    [InlineData("0,0,1,2,x,4\n", "not a finite number")]
    [InlineData("trajectory,step,a,b,c,d\n", "no trajectory rows")]
    public void RejectsMalformedCsv(string text, string expected)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<InvalidDataException>(() => NBodyCsvReader.Read(dir.WriteText("bad.csv", text)));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void TruncatedCsvIsRejected()
    {
        using var dir = new TempDirectory();
        string text = Csv(2, 3, 8);
        var ex = Assert.Throws<InvalidDataException>(() => NBodyCsvReader.Read(dir.WriteText("cut.csv", text[..(text.Length - 30)])));
        Assert.Contains("cut.csv", ex.Message);
        Assert.Contains("fields", ex.Message);
    }
}

using System.Globalization;
using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class MnistJsonReaderTests
{
    /// <summary>A class file with <paramref name="count"/> images, every pixel of image i equal to value(i).</summary>
    private static string DigitJson(int count, Func<int, double> value) =>
        "{ \"data\": [" + string.Join(",", Enumerable.Range(0, count * 784).Select(k => value(k / 784).ToString(CultureInfo.InvariantCulture))) + "]}";

    private static void WritePackage(TempDirectory dir, int[] counts)
    {
        for (int d = 0; d < 10; d++)
        {
            int digit = d;
            dir.WriteText(Path.Combine("src", "digits", $"{d}.json"), DigitJson(counts[d], i => Math.Round((digit * 10 + i) / 255.0, 3)));
        }
    }

    [Fact]
    public void ReadDigitFile_ReadsValues()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("3.json", DigitJson(2, i => i == 0 ? 0 : 0.992));
        float[] values = MnistJsonReader.ReadDigitFile(path);
        Assert.Equal(2 * 784, values.Length);
        Assert.Equal(0f, values[783]);
        Assert.Equal(0.992f, values[784]);
    }

    [Fact]
    public void ReadPackage_InterleavesClassesByDefault()
    {
        using var dir = new TempDirectory();
        int[] counts = [2, 1, 1, 1, 1, 1, 1, 1, 1, 3];
        WritePackage(dir, counts);

        ImageDataSet set = MnistJsonReader.ReadPackage(dir.Path);
        Assert.Equal(13, set.Count);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 9, 9], set.Labels);
        Assert.Equal((float)Math.Round(91 / 255.0, 3), set.Image(11)[0]); // image 1 of class 9

        ImageDataSet byClass = MnistJsonReader.ReadPackage(Path.Combine(dir.Path, "src", "digits"), interleave: false);
        Assert.Equal([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9], byClass.Labels);

        ImageDataSet quantized = MnistJsonReader.ReadPackage(dir.Path, quantize: true);
        Assert.Equal(91 / 255f, quantized.Image(11)[0]);
    }

    [Fact]
    public void NonNumericValue_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("0.json", "{\"data\": [0, 0.5, \"x\"]}");
        var ex = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadDigitFile(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("element 2", ex.Message);
        Assert.Contains("\"x\"", ex.Message);
    }

    [Fact]
    public void OutOfRangeValue_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("0.json", "{\"data\": [0, 1.5]}");
        var ex = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadDigitFile(path));
        Assert.Contains("[0, 1]", ex.Message);
    }

    [Fact]
    public void WrongLength_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("0.json", "{\"data\": [0, 0.5, 1]}");
        var ex = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadDigitFile(path));
        Assert.Contains("multiple of 784", ex.Message);
        Assert.Contains("found 3", ex.Message);
    }

    [Theory]
    [InlineData("{\"data\": [0, 0.5")]
    [InlineData("{\"pixels\": []}")]
    [InlineData("[0, 1]")]
    [InlineData("")]
    public void Malformed_Throws(string text)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("0.json", text);
        var ex = Assert.Throws<InvalidDataException>(() => MnistJsonReader.ReadDigitFile(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void MissingClassFile_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();
        dir.WriteText("0.json", DigitJson(1, _ => 0));
        var ex = Assert.Throws<FileNotFoundException>(() => MnistJsonReader.ReadPackage(dir.Path));
        Assert.Equal(Path.Combine(dir.Path, "1.json"), ex.FileName);
    }
}

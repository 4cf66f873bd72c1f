using System.Globalization;
using System.Text;
using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class AmatReaderTests
{
    /// <summary>A line of a 2x3 image (pixel k = k / 10) followed by the label as a float.</summary>
    private static string Line(int label, double offset = 0) =>
        string.Join(' ', Enumerable.Range(0, 6).Select(k => (k / 10.0 + offset).ToString("0.000000", CultureInfo.InvariantCulture)))
        + " " + label.ToString("0.000000", CultureInfo.InvariantCulture);

    [Fact]
    public void Read_ParsesPixelsAndLabels()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("a.amat", $"{Line(7)}\n\n# comment\n{Line(0, 0.05)}  \n");
        ImageDataSet set = AmatReader.Read(path, height: 2, width: 3);
        Assert.Equal(2, set.Count);
        Assert.Equal([7, 0], set.Labels);
        Assert.Equal(2, set.Height);
        Assert.Equal(3, set.Width);
        Assert.Equal(0.5f, set.Pixels[5], 6);
        Assert.Equal(0.05f, set.Pixels[6], 6);
    }

    [Fact]
    public void Read_TransposeReadsColumnMajor()
    {
        using var dir = new TempDirectory();
        // Column-major 2x3: file order (r0c0, r1c0, r0c1, r1c1, r0c2, r1c2) = 0, .1, .2, .3, .4, .5
        string path = dir.WriteText("a.amat", Line(3) + "\n");
        ImageDataSet set = AmatReader.Read(path, transpose: true, height: 2, width: 3);
        float[] expectedRowMajor = [0f, 0.2f, 0.4f, 0.1f, 0.3f, 0.5f];
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(expectedRowMajor[i], set.Pixels[i], 6);
        }
    }

    [Fact]
    public void Read_TabsGzipAndMaxRows()
    {
        using var dir = new TempDirectory();
        string text = string.Join("\n", Line(1).Replace(' ', '\t'), Line(2), Line(3));
        string path = dir.Write("a.amat", TempDirectory.Gzip(Encoding.UTF8.GetBytes(text)));
        Assert.Equal([1, 2, 3], AmatReader.Read(path, height: 2, width: 3).Labels);
        Assert.Equal([1, 2], AmatReader.Read(path, maxRows: 2, height: 2, width: 3).Labels);
    }

    [Fact]
    public void Read_DefaultShapeIs28x28()
    {
        using var dir = new TempDirectory();
        string line = string.Join(' ', Enumerable.Repeat("0.5", 784)) + " 4.0";
        ImageDataSet set = AmatReader.Read(dir.WriteText(AmatReader.TestFileName, line + "\n" + line + "\n"));
        Assert.Equal(2, set.Count);
        Assert.Equal(28, set.Height);
        Assert.Equal(28, set.Width);
        Assert.All(set.Pixels, p => Assert.Equal(0.5f, p));
    }

    [Fact]
    public void WrongFieldCount_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("a.amat", Line(1) + "\n" + Line(2) + " 0.5\n");
        var ex = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path, height: 2, width: 3));
        Assert.Contains(path, ex.Message);
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("expected 7 values", ex.Message);
        Assert.Contains("found 8", ex.Message);
    }

    [Fact]
    public void NonNumeric_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("a.amat", Line(1).Replace("0.300000", "0.3x") + "\n");
        var ex = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path, height: 2, width: 3));
        Assert.Contains("field 4", ex.Message);
        Assert.Contains("'0.3x'", ex.Message);
    }

    [Theory]
    [InlineData("10.000000")]
    [InlineData("-1.000000")]
    [InlineData("2.500000")]
    public void BadLabel_Throws(string label)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("a.amat", "0 0 0 0 0 0 " + label + "\n");
        var ex = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path, height: 2, width: 3));
        Assert.Contains("integer label in 0..9", ex.Message);
    }

    [Fact]
    public void Empty_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("a.amat", "\n# only a comment\n");
        var ex = Assert.Throws<InvalidDataException>(() => AmatReader.Read(path));
        Assert.Contains("found none", ex.Message);
    }

    [Fact]
    public void Missing_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, AmatReader.TrainValidFileName);
        var ex = Assert.Throws<FileNotFoundException>(() => AmatReader.Read(path));
        Assert.Equal(path, ex.FileName);
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class IdxReaderTests
{
    // Three 2x3 images with distinct pixel values, labels 2, 0, 9.
    private static readonly byte[] ImageBytes = Enumerable.Range(0, 18).Select(i => (byte)(i * 15)).ToArray();
    private static readonly byte[] LabelBytes = [2, 0, 9];

    private static byte[] Images() => TempDirectory.Idx([3, 2, 3], ImageBytes);

    private static byte[] Labels() => TempDirectory.Idx([3], LabelBytes);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadPair_ReadsPlainAndGzip(bool gzip)
    {
        using var dir = new TempDirectory();
        // Deliberately misleading extensions: compression is detected from the content.
        string images = dir.Write("images.bin", gzip ? TempDirectory.Gzip(Images()) : Images());
        string labels = dir.Write(gzip ? "labels.plain" : "labels.gz", gzip ? TempDirectory.Gzip(Labels()) : Labels());

        ImageDataSet set = IdxReader.LoadPair(images, labels);

        Assert.Equal(3, set.Count);
        Assert.Equal(1, set.Channels);
        Assert.Equal(2, set.Height);
        Assert.Equal(3, set.Width);
        Assert.Equal([2, 0, 9], set.Labels);
        Assert.Equal(18, set.Pixels.Length);
        for (int i = 0; i < 18; i++)
        {
            Assert.Equal(ImageBytes[i] / 255f, set.Pixels[i]);
        }

        Assert.Equal(0f, set.Pixels[0]);
        Assert.Equal(1f, set.Pixels[17]);
    }

    [Fact]
    public void ReadArray_ReturnsDimensionsAndData()
    {
        using var dir = new TempDirectory();
        IdxArray array = IdxReader.ReadArray(dir.Write("a", Images()));
        Assert.Equal([3, 2, 3], array.Dimensions);
        Assert.Equal(ImageBytes, array.Data);
        Assert.Equal(IdxReader.ImagesMagic, array.Magic);
    }

    [Fact]
    public void Truncated_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = Images();
        string path = dir.Write("images", bytes[..^1]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImageArray(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        Assert.Contains("18", ex.Message);
        Assert.Contains("17", ex.Message);
    }

    [Fact]
    public void TruncatedHeader_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", Images()[..10]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImageArray(path));
        Assert.Contains("truncated header", ex.Message);
    }

    [Fact]
    public void TruncatedGzip_Throws()
    {
        using var dir = new TempDirectory();
        byte[] gz = TempDirectory.Gzip(Images());
        string path = dir.Write("images.gz", gz[..(gz.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImageArray(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void TrailingBytes_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("images", [.. Images(), 0]);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImageArray(path));
        Assert.Contains("trailing", ex.Message);
    }

    [Fact]
    public void WrongMagic_Throws()
    {
        using var dir = new TempDirectory();
        byte[] bytes = Images();
        bytes[0] = 0x12;
        string path = dir.Write("images", bytes);
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImageArray(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("magic", ex.Message);
        Assert.Contains("0x12000803", ex.Message);
    }

    [Fact]
    public void UnsupportedElementType_Throws()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("floats", TempDirectory.Idx([1], [0, 0, 0, 0], type: 0x0D));
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.ReadArray(path));
        Assert.Contains("0x00000D01", ex.Message);
    }

    [Fact]
    public void LabelsFileGivenAsImages_Throws()
    {
        using var dir = new TempDirectory();
        string labels = dir.Write("labels", Labels());
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.LoadPair(labels, labels));
        Assert.Contains("idx3-ubyte", ex.Message);
        Assert.Contains("0x00000801", ex.Message);
    }

    [Fact]
    public void CountMismatch_Throws()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("images", Images());
        string labels = dir.Write("labels", TempDirectory.Idx([2], [1, 2]));
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.LoadPair(images, labels));
        Assert.Contains(labels, ex.Message);
        Assert.Contains("expected 3 labels", ex.Message);
        Assert.Contains("found 2", ex.Message);
    }

    [Fact]
    public void LabelOutOfRange_Throws()
    {
        using var dir = new TempDirectory();
        string images = dir.Write("images", Images());
        string labels = dir.Write("labels", TempDirectory.Idx([3], [1, 10, 2]));
        var ex = Assert.Throws<InvalidDataException>(() => IdxReader.LoadPair(images, labels));
        Assert.Contains("label 1 is 10", ex.Message);
        Assert.Equal([1, 10, 2], IdxReader.ReadLabels(labels, numClasses: 11));
    }

    [Fact]
    public void MissingFile_ThrowsFileNotFoundNamingPath()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "nope-idx3-ubyte.gz");
        var ex = Assert.Throws<FileNotFoundException>(() => IdxReader.LoadPair(missing, missing));
        Assert.Equal(missing, ex.FileName);
        Assert.Contains(missing, ex.Message);
    }
}

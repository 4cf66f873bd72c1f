using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class BuiltInDigitsTests
{
    [Fact]
    public void Load_Gives10000PlausibleDigits()
    {
        ImageDataSet set = BuiltInDigits.Load();

        Assert.Equal(10000, set.Count);
        Assert.Equal(1, set.Channels);
        Assert.Equal(28, set.Height);
        Assert.Equal(28, set.Width);
        Assert.Equal(10000 * 784, set.Pixels.Length);

        int[] counts = set.ClassCounts(10);
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
        Assert.Equal([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978], counts);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1], set.Labels[..12]);

        double sum = 0;
        float min = float.MaxValue, max = float.MinValue;
        foreach (float p in set.Pixels)
        {
            sum += p;
            min = Math.Min(min, p);
            max = Math.Max(max, p);
        }

        double mean = sum / set.Pixels.Length;
        Assert.InRange(mean, 0.05, 0.25);
        Assert.Equal(0f, min);
        Assert.Equal(1f, max);

        // Every digit has some ink.
        for (int i = 0; i < set.Count; i++)
        {
            Span<float> image = set.Image(i);
            Assert.True(image.ToArray().Sum() > 5f, $"image {i} is nearly empty");
        }
    }

    [Fact]
    public void FindDirectory_FindsBothFilesInOutput()
    {
        string dir = BuiltInDigits.FindDirectory();
        Assert.True(File.Exists(Path.Combine(dir, BuiltInDigits.ImagesFileName)));
        Assert.True(File.Exists(Path.Combine(dir, BuiltInDigits.LabelsFileName)));
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "data", "mnist", BuiltInDigits.ImagesFileName)),
            "the digit files should be copied to the output of projects referencing Semola.Core");
    }

    [Fact]
    public void Load_FromDirectoryWithoutFiles_ThrowsFileNotFound()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => BuiltInDigits.Load(dir.Path));
        Assert.Contains(BuiltInDigits.ImagesFileName, ex.Message);
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class ImageDataSetTests
{
    private static ImageDataSet Make() =>
        new(Enumerable.Range(0, 5 * 4).Select(i => (float)i).ToArray(), [0, 1, 2, 1, 0], 1, 2, 2);

    [Fact]
    public void Subset_CopiesImagesInGivenOrder()
    {
        ImageDataSet sub = Make().Subset([4, 1, 1]);
        Assert.Equal(3, sub.Count);
        Assert.Equal([0, 1, 1], sub.Labels);
        Assert.Equal([16f, 17f, 18f, 19f, 4f, 5f, 6f, 7f, 4f, 5f, 6f, 7f], sub.Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Make().Subset([5]));
    }

    [Fact]
    public void Slice_ImageAndClassCounts()
    {
        ImageDataSet set = Make();
        ImageDataSet slice = set.Slice(1, 2);
        Assert.Equal([1, 2], slice.Labels);
        Assert.Equal([4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f], slice.Pixels);
        Assert.Equal(12f, set.Image(3)[0]);
        Assert.Equal([2, 2, 1], set.ClassCounts(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Slice(4, 2));
    }

    [Fact]
    public void Constructor_RejectsShapeMismatch()
    {
        Assert.Throws<ArgumentException>(() => new ImageDataSet(new float[7], [0, 1], 1, 2, 2));
        Assert.Throws<ArgumentException>(() => new ImageDataSet(new float[4], [-1], 1, 2, 2));
    }
}

using Semola.Core.Data;

namespace Semola.Tests.Core.Data;

public class NpzReaderTests
{
    // Pixel value of image n, row y, column x, channel c: distinct enough to catch layout mistakes.
    private static byte Pixel(int n, int y, int x, int c) => (byte)((n * 37) + (y * 11) + (x * 5) + (c * 101));

    private static byte[] Images(int count, int side, int channels = 3)
    {
        var data = new byte[count * side * side * channels];
        int i = 0;
        for (int n = 0; n < count; n++)
        {
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        data[i++] = Pixel(n, y, x, c);
                    }
                }
            }
        }

        return data;
    }

    private static (string, byte[])[] MedMnist(int side, int[] counts, int numClasses = 9, Func<string, byte[], byte[]>? edit = null)
    {
        var arrays = new List<(string, byte[])>();
        string[] splits = ["train", "val", "test"];
        for (int s = 0; s < 3; s++)
        {
            var images = TempDirectory.Npy("|u1", $"{counts[s]}, {side}, {side}, 3", Images(counts[s], side));
            var labels = TempDirectory.Npy("|u1", $"{counts[s]}, 1", Enumerable.Range(0, counts[s]).Select(i => (byte)((i + s) % numClasses)).ToArray());
            arrays.Add((splits[s] + "_images", edit?.Invoke(splits[s] + "_images", images) ?? images));
            arrays.Add((splits[s] + "_labels", edit?.Invoke(splits[s] + "_labels", labels) ?? labels));
        }

        return arrays.ToArray();
    }

    [Theory]
    [InlineData(28, true)]
    [InlineData(64, false)]
    public void ReadsMedMnistSplitsChannelMajor(int side, bool compressed)
    {
        using var dir = new TempDirectory();
        string path = dir.Write("pathmnist.npz", TempDirectory.Npz(MedMnist(side, [12, 5, 7]), compressed));
        Assert.Equal(["train_images", "train_labels", "val_images", "val_labels", "test_images", "test_labels"], NpzReader.ListArrays(path));
        var splits = MedMnistNpz.Load(path);
        Assert.Equal((12, 5, 7), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        var test = splits.Test;
        Assert.Equal((3, side, side), (test.Channels, test.Height, test.Width));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], test.Labels);
        var image = test.Image(4);
        Assert.Equal(Pixel(4, 3, 7, 2) / 255f, image[(2 * side * side) + (3 * side) + 7]);
        Assert.Equal(Pixel(4, side - 1, 0, 0) / 255f, image[(side - 1) * side]);

        var few = MedMnistNpz.Load(path, maxPerSplit: 3);
        Assert.Equal((3, 3, 3), (few.Train.Count, few.Validation.Count, few.Test.Count));
        Assert.Equal(splits.Train.Image(2).ToArray(), few.Train.Image(2).ToArray());
    }

    [Fact]
    public void ReadsNpyArraysOfOtherTypes()
    {
        using var dir = new TempDirectory();
        byte[] longs = new long[] { -3, 0, 7, 1L << 40 }.SelectMany(BitConverter.GetBytes).ToArray();
        byte[] doubles = new[] { 1.5, -2.25 }.SelectMany(BitConverter.GetBytes).ToArray();
        string path = dir.Write("a.npz", TempDirectory.Npz([("l", TempDirectory.Npy("<i8", "4,", longs)), ("d", TempDirectory.Npy("<f8", "2,", doubles, version: 2))]));
        Assert.Equal([-3, 0, 7, 1L << 40], NpzReader.ReadArray(path, "l").ToInt64());
        Assert.Equal([1.5f, -2.25f], NpzReader.ReadArray(path, "d").ToSingles());
        var file = NpyReader.Read(dir.Write("s.npy", TempDirectory.Npy(">i2", "", [0xFF, 0xFE])));
        Assert.Empty(file.Shape);
        Assert.Equal([-2L], file.ToInt64());
        Assert.Contains("expected float32 or float64", Assert.Throws<InvalidDataException>(() => file.ToSingles()).Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void StreamReadsWholeArraysOrLeadingRowsAndRefusesWrongLengths(int version)
    {
        byte[] data = Enumerable.Range(0, 5 * 3 * 4).Select(i => (byte)i).ToArray();
        byte[] npy = TempDirectory.Npy("<i4", "5, 3", data, version: version);
        var whole = NpyReader.Read(new MemoryStream(npy), "s");
        Assert.Equal([5, 3], whole.Shape);
        Assert.Equal(NpyReader.Parse(npy, "p").ToInt64(), whole.ToInt64());
        var two = NpyReader.Read(new MemoryStream(npy), "s", maxRows: 2);
        Assert.Equal([2, 3], two.Shape);
        Assert.Equal(whole.ToInt64()[..6], two.ToInt64());
        Assert.Contains("fewer", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(npy[..^1]), "s")).Message);
        Assert.Contains("more", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream([.. npy, 0]), "s")).Message);
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(npy[1..]), "s")).Message);
        Assert.Contains("s: ", Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(npy[..20]), "s")).Message);
    }

    [Theory]
    [InlineData("train_images", "<f4", "wrong dtype", "expected uint8")]
    [InlineData("train_images", "rank", "wrong rank", "expected images [N, H, W, 3]")]
    [InlineData("val_labels", "<f8", "float labels", "expected integer labels")]
    [InlineData("val_labels", "count", "label count", "4 labels for the 5 images")]
    [InlineData("test_labels", "range", "label 9", "label 0 is 9")]
    [InlineData("test_images", "size", "other size", "test_images are 14x14x3 but train_images are 28x28x3")]
    [InlineData("train_labels", "missing", "no array", "no array 'train_labels'")]
    [InlineData("train_images", "truncated", "short data", "truncated")]
    public void RejectsMalformedArchivesClearly(string array, string fault, string because, string expected)
    {
        _ = because;
        byte[] Edit(string name, byte[] npy)
        {
            if (name != array)
            {
                return npy;
            }

            return fault switch
            {
                "<f4" => TempDirectory.Npy("<f4", "12, 28, 28, 3", new byte[12 * 28 * 28 * 3 * 4]),
                "rank" => TempDirectory.Npy("|u1", $"12, {28 * 28 * 3}", new byte[12 * 28 * 28 * 3]),
                "<f8" => TempDirectory.Npy("<f8", "5, 1", new byte[5 * 8]),
                "count" => TempDirectory.Npy("|u1", "4, 1", new byte[4]),
                "range" => TempDirectory.Npy("|u1", "7, 1", [9, 0, 0, 0, 0, 0, 0]),
                "size" => TempDirectory.Npy("|u1", "7, 14, 14, 3", new byte[7 * 14 * 14 * 3]),
                "truncated" => npy[..^10],
                _ => npy,
            };
        }

        var arrays = MedMnist(28, [12, 5, 7], edit: Edit).Where(a => !(fault == "missing" && a.Item1 == array));
        using var dir = new TempDirectory();
        string path = dir.Write("bad.npz", TempDirectory.Npz(arrays));
        var ex = Assert.Throws<InvalidDataException>(() => MedMnistNpz.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void RejectsDamagedArchives()
    {
        using var dir = new TempDirectory();
        byte[] good = TempDirectory.Npz(MedMnist(28, [6, 2, 2]), compressed: false);
        Assert.Contains("not a .npz", Assert.Throws<InvalidDataException>(() => MedMnistNpz.Load(dir.Write("cut.npz", good[..(good.Length / 2)]))).Message);
        Assert.Contains("not a .npz", Assert.Throws<InvalidDataException>(() => NpzReader.ListArrays(dir.WriteText("text.npz", "hello"))).Message);

        // Flip a pixel byte inside the stored (uncompressed) train images: only the CRC can tell.
        byte[] bad = (byte[])good.Clone();
        bad[400] ^= 0x01;
        string path = dir.Write("flipped.npz", bad);
        var ex = Assert.Throws<InvalidDataException>(() => MedMnistNpz.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("CRC", ex.Message);
        Assert.Throws<FileNotFoundException>(() => MedMnistNpz.Load(System.IO.Path.Combine(dir.Path, "none.npz")));

        // Damage inside a deflate-compressed member.
        byte[] compressed = TempDirectory.Npz(MedMnist(28, [6, 2, 2]), compressed: true);
        byte[] broken = (byte[])compressed.Clone();
        for (int i = 200; i < 260; i++)
        {
            broken[i] ^= 0xA5;
        }

        string brokenPath = dir.Write("broken.npz", broken);
        Assert.Contains(brokenPath, Assert.Throws<InvalidDataException>(() => MedMnistNpz.Load(brokenPath)).Message);
    }

    [Fact]
    public void ReadsGreyImagesAsOneChannel()
    {
        var images = NpyReader.Parse(TempDirectory.Npy("|u1", "2, 3, 3", Enumerable.Range(0, 18).Select(i => (byte)(i * 10)).ToArray()), "g");
        var labels = NpyReader.Parse(TempDirectory.Npy("<i8", "2,", new long[] { 1, 0 }.SelectMany(BitConverter.GetBytes).ToArray()), "l");
        var set = MedMnistNpz.ToImages(images, labels, numClasses: 2);
        Assert.Equal((1, 3, 3), (set.Channels, set.Height, set.Width));
        Assert.Equal([1, 0], set.Labels);
        Assert.Equal(130 / 255f, set.Image(1)[4]);
    }
}

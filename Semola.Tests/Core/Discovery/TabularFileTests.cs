using Semola.Core.Data;
using Semola.Tests.Core.Data;

namespace Semola.Tests.Core.Discovery;

public sealed class TabularFileTests
{
    [Fact]
    public void CsvColumnsByNameOrIndexWithQuotedCells()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("t.csv", "a,\"b,c\",label\r\n1,2,cat\n\n3.5,-4e-1,\"dog\"\n");
        var t = TabularFile.Read(path);
        Assert.Equal(["a", "b,c", "label"], t.Columns);
        Assert.Equal(2, t.Rows);
        Assert.Equal([0, 2], t.Resolve("a,label", "inputs"));
        Assert.Equal([1, 0], t.Resolve("1,a", "inputs"));
        Assert.Equal([1f, 2f, 3.5f, -0.4f], t.Numeric([0, 1]));
        Assert.Equal(["cat", "dog"], t.Text(2));
    }

    [Fact]
    public void NpyColumnsAreIndices()
    {
        using var dir = new TempDirectory();
        var data = new float[] { 1, 2, 3, 4, 5, 6 }.SelectMany(BitConverter.GetBytes).ToArray();
        string path = dir.Write("t.npy", TempDirectory.Npy("<f4", "2, 3", data));
        var t = TabularFile.Read(path);
        Assert.Equal(3, t.Columns.Count);
        Assert.Equal([3f, 1f, 6f, 4f], t.Numeric(t.Resolve("2,0", "inputs")));
    }

    [Theory]
    [InlineData("a,b\n1,x\n", "t.csv:2, column 'b': 'x' is not a number")]
    [InlineData("a,b\n1,2\n3,nan\n", "t.csv:3, column 'b'")]
    [InlineData("a,b\n1,2\n3,1e999\n", "not a finite number")]
    [InlineData("a,b\n1,2,3\n", "t.csv:2: 3 cells, but the header has 2 columns")]
    [InlineData("a,a\n1,2\n", "names column 'a' twice")]
    [InlineData("", "the file is empty")]
    [InlineData("a,b\n\"1,2\n", "quoted cell is not closed")]
    public void BrokenCsvNamesFileLineAndColumn(string text, string message)
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("t.csv", text);
        var ex = Assert.ThrowsAny<InvalidDataException>(() => TabularFile.Read(path).Numeric([0, 1]));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownColumnListsTheColumns()
    {
        using var dir = new TempDirectory();
        var t = TabularFile.Read(dir.WriteText("t.csv", "x,y\n1,2\n"));
        var ex = Assert.Throws<ArgumentException>(() => t.Resolve("x,z", "inputs"));
        Assert.Contains("no column 'z'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("columns: x, y", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => t.Resolve("x,x", "inputs"));
        Assert.Throws<ArgumentException>(() => t.Resolve("x,", "inputs"));
    }

    [Fact]
    public void MissingFileWrongRankAndUnknownExtensionAreRefused()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => TabularFile.Read(System.IO.Path.Combine(dir.Path, "nope.csv")));
        var oneD = new float[] { 1, 2 }.SelectMany(BitConverter.GetBytes).ToArray();
        var ex = Assert.Throws<InvalidDataException>(() => TabularFile.Read(dir.Write("v.npy", TempDirectory.Npy("<f4", "2,", oneD))));
        Assert.Contains("2-D array", ex.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => TabularFile.Read(dir.WriteText("t.txt", "a\n1\n")));
        Assert.Throws<IOException>(() => TabularFile.Read(dir.Path));
    }
}

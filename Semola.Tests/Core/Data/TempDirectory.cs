using System.IO.Compression;

namespace Semola.Tests.Core.Data;

/// <summary>A fresh temporary directory, deleted on dispose, with helpers to write test files.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "semola-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string WriteText(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    /// <summary>An IDX file: zero, zero, type 0x08, rank, big-endian sizes, then data.</summary>
    public static byte[] Idx(int[] dims, byte[] data, byte type = 0x08)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dims.Length };
        foreach (int d in dims)
        {
            bytes.Add((byte)(d >> 24));
            bytes.Add((byte)(d >> 16));
            bytes.Add((byte)(d >> 8));
            bytes.Add((byte)d);
        }

        bytes.AddRange(data);
        return bytes.ToArray();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

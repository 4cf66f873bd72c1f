using System.IO.Compression;

namespace Semola.Core.Data;

/// <summary>File access shared by the readers: existence check and gzip detection by magic bytes.</summary>
internal static class DataFile
{
    /// <summary>True when the bytes start with the gzip magic 0x1F 0x8B.</summary>
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;

    /// <summary>Throws <see cref="FileNotFoundException"/> naming the path if it does not exist.</summary>
    public static void RequireExists(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Data file not found: '{path}'.", path);
        }
    }

    /// <summary>All bytes of the file, decompressed when it is gzip data.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        RequireExists(path);
        byte[] raw = File.ReadAllBytes(path);
        if (!IsGzip(raw))
        {
            return raw;
        }

        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: expected valid gzip data (the file starts with the gzip magic bytes), but decompression failed: {ex.Message}", ex);
        }
    }

    /// <summary>A text reader over the file, decompressing on the fly when it is gzip data.</summary>
    public static StreamReader OpenText(string path)
    {
        RequireExists(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[2];
            int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = IsGzip(head[..read]) ? new GZipStream(file, CompressionMode.Decompress) : file;
            return new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

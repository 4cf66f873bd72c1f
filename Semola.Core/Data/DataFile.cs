using System.Buffers.Binary;
using System.IO.Compression;

namespace Semola.Core.Data;

/// <summary>
/// File access shared by the readers: existence check, gzip detection by magic bytes, and gzip data read
/// completely or not at all. .NET's decompressor stops quietly at the end of whatever input it is given,
/// so a file cut short would read as a shorter data set; every gzip file is therefore decompressed in full
/// and its last 8 bytes checked as the trailer of the last member (CRC-32 and length of that member's
/// output). A cut anywhere, trailing bytes after the last member or a corrupt body is an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
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

        byte[] output;
        try
        {
            using var input = new MemoryStream(raw, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            gzip.CopyTo(buffer);
            output = buffer.ToArray();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{path}: corrupt gzip data (the file starts with the gzip magic bytes, but decompression failed: {ex.Message}).", ex);
        }

        CheckGzipTrailer(path, raw, output);
        return output;
    }

    /// <summary>
    /// Checks that the last 8 bytes of <paramref name="raw"/> are the gzip trailer of the last member of
    /// <paramref name="output"/>: its CRC-32 and its length (mod 2^32), the member being a suffix of the output.
    /// </summary>
    internal static void CheckGzipTrailer(string path, ReadOnlySpan<byte> raw, ReadOnlySpan<byte> output)
    {
        const int MinimumMember = 20; // 10-byte header, empty deflate block, 8-byte trailer
        if (raw.Length < MinimumMember)
        {
            throw new InvalidDataException($"{path}: truncated gzip data ({raw.Length} bytes, shorter than any complete gzip stream).");
        }

        uint crc = BinaryPrimitives.ReadUInt32LittleEndian(raw[^8..]);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(raw[^4..]);
        // An empty last member (CRC 0, length 0) must be one: header and an empty final deflate block,
        // else trailing zero bytes would pass for it.
        bool emptyMember = raw[^20] == 0x1F && raw[^19] == 0x8B && raw[^18] == 8 && raw[^10] == 0x03 && raw[^9] == 0x00;
        if (size > output.Length || Crc32(output[(output.Length - (int)size)..]) != crc || (size == 0 && !emptyMember))
        {
            throw new InvalidDataException(
                $"{path}: truncated gzip data, or bytes after its end: the file does not end with the checksum and length of the data decompressed from it ({output.Length} bytes).");
        }
    }

    /// <summary>The CRC-32 (IEEE 802.3, as in gzip and zip) of <paramref name="data"/>.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    /// <summary>
    /// A text reader over the file. Gzip data is decompressed and checked in full first (see
    /// <see cref="ReadAllBytes"/>), so a reader never sees a silently shortened file.
    /// </summary>
    public static StreamReader OpenText(string path)
    {
        RequireExists(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            Span<byte> head = stackalloc byte[2];
            int read = file.ReadAtLeast(head, 2, throwOnEndOfStream: false);
            file.Position = 0;
            Stream stream = file;
            if (IsGzip(head[..read]))
            {
                file.Dispose();
                stream = new MemoryStream(ReadAllBytes(path), writable: false);
            }

            return new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}

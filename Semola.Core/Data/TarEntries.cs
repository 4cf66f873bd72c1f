using System.Globalization;
using System.Text;

namespace Semola.Core.Data;

/// <summary>
/// A strict streaming reader of tar archives (POSIX ustar, with GNU long names and pax path records):
/// every header's checksum is verified, every file's data must be present in full, and the archive must
/// end with the end-of-archive marker (a zero block), so a truncated archive is an error.
/// </summary>
internal static class TarEntries
{
    private const int Block = 512;

    /// <summary>
    /// Calls <paramref name="onFile"/> with the name and contents of each regular file in archive order,
    /// until it returns false or the archive ends.
    /// </summary>
    /// <exception cref="InvalidDataException">A bad header checksum, a truncated entry or a missing end marker (the message names <paramref name="path"/>).</exception>
    public static void Read(Stream stream, string path, Func<string, byte[], bool> onFile)
    {
        var header = new byte[Block];
        string? nextName = null;
        long offset = 0;
        while (true)
        {
            if (!Fill(stream, header))
            {
                throw new InvalidDataException($"{path}: the tar archive ends at byte {offset} without its end-of-archive marker (truncated).");
            }

            if (header.All(b => b == 0))
            {
                Drain(stream);
                return;
            }

            VerifyChecksum(header, path, offset);
            long size = ParseSize(header.AsSpan(124, 12), path, offset);
            char type = (char)header[156];
            string name = nextName ?? HeaderName(header);
            nextName = null;
            if (size > Array.MaxLength)
            {
                throw new InvalidDataException($"{path}: tar entry '{name}' at byte {offset} is too large ({size} bytes).");
            }

            var data = new byte[size];
            long padded = (size + Block - 1) / Block * Block;
            if (!Fill(stream, data) || !Skip(stream, padded - size))
            {
                throw new InvalidDataException($"{path}: tar entry '{name}' at byte {offset} is truncated ({size} bytes announced).");
            }

            offset += Block + padded;
            switch (type)
            {
                case '0' or '\0' or '7':
                    if (!onFile(name, data))
                    {
                        return;
                    }

                    break;
                case 'L':
                    nextName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                    break;
                case 'x':
                    nextName = PaxPath(data) ?? nextName;
                    break;
                default:
                    break; // directories, links, global pax headers: no file data of interest
            }
        }
    }

    private static string HeaderName(byte[] header)
    {
        string name = Text(header.AsSpan(0, 100));
        bool ustar = header.AsSpan(257, 5).SequenceEqual("ustar"u8);
        string prefix = ustar ? Text(header.AsSpan(345, 155)) : string.Empty;
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static string? PaxPath(byte[] data)
    {
        // Records "<length> <key>=<value>\n".
        foreach (string record in Encoding.UTF8.GetString(data).Split('\n'))
        {
            int space = record.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && record[(space + 1)..].StartsWith("path=", StringComparison.Ordinal))
            {
                return record[(space + 6)..];
            }
        }

        return null;
    }

    private static void VerifyChecksum(byte[] header, string path, long offset)
    {
        long sum = 0;
        for (int i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? (byte)' ' : header[i];
        }

        string field = Encoding.ASCII.GetString(header, 148, 8).Trim('\0', ' ');
        if (field.Length == 0 || !long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out _) || Convert.ToInt64(field, 8) != sum)
        {
            throw new InvalidDataException($"{path}: not a tar archive, or a damaged one: the header at byte {offset} fails its checksum.");
        }
    }

    private static long ParseSize(ReadOnlySpan<byte> field, string path, long offset)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256 encoding for sizes of 8 GiB and more.
            long value = field[0] & 0x7F;
            for (int i = 1; i < field.Length; i++)
            {
                value = checked((value << 8) | field[i]);
            }

            return value;
        }

        string text = Encoding.ASCII.GetString(field).Trim('\0', ' ');
        try
        {
            return text.Length == 0 ? 0 : Convert.ToInt64(text, 8);
        }
        catch (FormatException)
        {
            throw new InvalidDataException($"{path}: the tar header at byte {offset} has a malformed size field '{text}'.");
        }
    }

    private static bool Fill(Stream stream, byte[] buffer) =>
        stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length;

    private static bool Skip(Stream stream, long count)
    {
        var scratch = new byte[Block];
        while (count > 0)
        {
            int n = stream.Read(scratch, 0, (int)Math.Min(count, Block));
            if (n <= 0)
            {
                return false;
            }

            count -= n;
        }

        return true;
    }

    private static void Drain(Stream stream)
    {
        // Reading to the end lets a compressed stream verify its trailing checksum.
        var scratch = new byte[1 << 16];
        while (stream.Read(scratch, 0, scratch.Length) > 0)
        {
        }
    }
}

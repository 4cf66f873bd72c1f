using System.IO.Compression;

namespace Semola.Core.Data;

/// <summary>
/// Reads NumPy .npz archives (what <c>numpy.savez</c> and <c>numpy.savez_compressed</c> write): a zip file
/// with one .npy member per array, named "&lt;array&gt;.npy". Each array is parsed by <see cref="NpyReader"/>;
/// a whole array is also checked against the member's CRC-32. Errors name the archive and the array.
/// </summary>
public static class NpzReader
{
    /// <summary>The names of the arrays in the archive (member names without ".npy"), in archive order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable zip archive.</exception>
    public static IReadOnlyList<string> ListArrays(string path)
    {
        using var zip = Open(path);
        return Names(zip);
    }

    /// <summary>Reads one array.</summary>
    /// <param name="path">The .npz file.</param>
    /// <param name="name">The array's name (without ".npy").</param>
    /// <param name="maxRows">When positive, read only this many leading entries along the first axis.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Not a zip archive, no such array (the message lists those there are), or a malformed or damaged array.</exception>
    public static NpyArray ReadArray(string path, string name, int maxRows = 0) =>
        ReadArrays(path, [name], maxRows)[name];

    /// <summary>Reads several arrays from one archive (see <see cref="ReadArray"/>).</summary>
    public static IReadOnlyDictionary<string, NpyArray> ReadArrays(string path, IReadOnlyList<string> names, int maxRows = 0)
    {
        ArgumentNullException.ThrowIfNull(names);
        using var zip = Open(path);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            var entry = zip.GetEntry(name + ".npy")
                ?? throw new InvalidDataException($"{path}: no array '{name}' in the archive (it holds: {string.Join(", ", Names(zip))}).");
            string source = $"{path}:{entry.FullName}";
            try
            {
                using var stream = entry.Open();
                result[name] = maxRows > 0 ? NpyReader.Read(stream, source, maxRows) : ReadWhole(entry, stream, source);
            }
            catch (Exception ex) when ((ex is IOException and not FileNotFoundException) || (ex is InvalidDataException && !ex.Message.StartsWith(source, StringComparison.Ordinal)))
            {
                throw new InvalidDataException($"{source}: damaged or truncated archive member ({ex.Message}).", ex);
            }
        }

        return result;
    }

    private static ZipArchive Open(string path)
    {
        DataFile.RequireExists(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            file.Dispose();
            throw new InvalidDataException($"{path}: not a .npz (zip) archive, or a truncated one ({ex.Message}).", ex);
        }
    }

    private static string[] Names(ZipArchive zip) =>
        zip.Entries.Select(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName).ToArray();

    private static NpyArray ReadWhole(ZipArchiveEntry entry, Stream stream, string source)
    {
        if (entry.Length > Array.MaxLength)
        {
            throw new InvalidDataException($"{source}: the array ({entry.Length} bytes) is too large to read whole; read a leading part.");
        }

        var bytes = new byte[entry.Length];
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length || stream.ReadByte() >= 0)
        {
            throw new InvalidDataException($"{source}: the member does not hold the {entry.Length} bytes the archive announces (damaged archive).");
        }

        if (DataFile.Crc32(bytes) != entry.Crc32)
        {
            throw new InvalidDataException($"{source}: the data does not match the archive's CRC-32 for this member (damaged archive).");
        }

        return NpyReader.Parse(bytes, source);
    }
}

using System.Text;

namespace Semola.Experiments;

/// <summary>Writes result files atomically: to a temporary file in the same directory, then renamed.</summary>
public static class OutputFiles
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> so readers never see a partial file.</summary>
    public static void WriteAtomic(string path, string text)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="directory"/> and proves it writable by writing and deleting a probe file, so a bad --out
    /// fails before any work; throws an <see cref="IOException"/> naming the directory.
    /// </summary>
    public static string PrepareDirectory(string directory) => PrepareDirectory(directory, out _);

    /// <summary>As <see cref="PrepareDirectory(string)"/>; <paramref name="created"/> says whether the directory is new.</summary>
    public static string PrepareDirectory(string directory, out bool created)
    {
        string full = Path.GetFullPath(directory);
        created = !Directory.Exists(full);
        try
        {
            if (File.Exists(full))
            {
                throw new IOException("it is a file");
            }
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, "." + Guid.NewGuid().ToString("N") + ".probe");
            File.WriteAllText(probe, "probe");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"--out {full} cannot be written ({ex.Message}).", ex);
        }
        return full;
    }
}

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
        string tmp = full + ".tmp";
        File.WriteAllText(tmp, text, new UTF8Encoding(false));
        File.Move(tmp, full, overwrite: true);
    }
}

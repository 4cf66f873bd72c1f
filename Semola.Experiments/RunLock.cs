using System.Globalization;

namespace Semola.Experiments;

/// <summary>
/// An exclusive lock on an output directory, held for a run's life: OUT/.lock is opened for exclusive use (released by
/// the operating system if the process dies) and OUT/.lock.owner names the holder's process id.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _owner;
    private readonly string _path;

    private RunLock(FileStream stream, string path, string owner)
    {
        _stream = stream;
        _path = path;
        _owner = owner;
    }

    /// <summary>Takes the lock on <paramref name="directory"/> (which must exist) or throws an <see cref="IOException"/> naming the holder.</summary>
    public static RunLock Acquire(string directory)
    {
        string path = Path.Combine(directory, ".lock");
        string owner = Path.Combine(directory, ".lock.owner");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string holder = File.Exists(owner) ? File.ReadAllText(owner).Trim() : "another process";
            throw new IOException($"{directory} is in use by another run ({holder}); wait for it to finish or choose another --out.");
        }
        File.WriteAllText(owner, string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId}, started {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}"));
        return new RunLock(stream, path, owner);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_owner);
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _stream.Dispose();
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Semola.Autodiff.Nn;
using Semola.Autodiff.Optim;
using Semola.Kernels;

namespace Semola.Autodiff.Checkpoints;

/// <summary>
/// Saves and loads a module's parameters and buffers, and optionally an optimizer's state, as one
/// binary file (format: docs/checkpoint-format.md): magic "SMLA", version, entries (kind, name,
/// shape, little-endian data), then a SHA-256 of everything before it. Saves go to a temporary
/// file in the same directory that is then renamed over the target, so an interrupted save never
/// leaves a half-written checkpoint. Loads check everything before changing any tensor.
/// </summary>
public static class Checkpoint
{
    /// <summary>The four bytes every checkpoint starts with.</summary>
    public const string Magic = "SMLA";

    /// <summary>The format version this code writes and reads.</summary>
    public const uint Version = 1;

    private const int HashLength = 32;
    private const int MaxRank = 16;
    private const int MaxNameBytes = 4096;
    private const string StepCountName = "step_count";
    private const string ParameterStepsName = "parameter_steps";

    private enum EntryKind : byte
    {
        Parameter = 1,
        Buffer = 2,
        OptimizerState = 3,
        OptimizerCounter = 4,
    }

    private enum DataType : byte
    {
        Float32 = 1,
        Int64 = 2,
    }

    private sealed record Entry(EntryKind Kind, string Name, int[] Shape, float[]? Floats, long[]? Longs);

    /// <summary>Writes <paramref name="module"/>'s parameters and buffers (and <paramref name="optimizer"/>'s state) to <paramref name="path"/>.</summary>
    public static void Save(string path, Module module, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(module);
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var entries = Collect(module, optimizer);
                var header = new byte[12];
                Encoding.ASCII.GetBytes(Magic).CopyTo(header, 0);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Version);
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), (uint)entries.Count);
                Write(stream, hash, header);
                foreach (var (kind, name, write) in entries)
                {
                    write(stream, hash, kind, name);
                }
                stream.Write(hash.GetHashAndReset());
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private delegate void EntryWriter(Stream stream, IncrementalHash hash, EntryKind kind, string name);

    private static List<(EntryKind Kind, string Name, EntryWriter Write)> Collect(Module module, Optimizer? optimizer)
    {
        var entries = new List<(EntryKind, string, EntryWriter)>();
        foreach (var (name, t) in module.NamedParameters())
        {
            entries.Add((EntryKind.Parameter, name, TensorWriter(t)));
        }
        foreach (var (name, t) in module.NamedBuffers())
        {
            entries.Add((EntryKind.Buffer, name, TensorWriter(t)));
        }
        if (optimizer is not null)
        {
            foreach (var (name, t) in optimizer.NamedState())
            {
                entries.Add((EntryKind.OptimizerState, name, TensorWriter(t)));
            }
            entries.Add((EntryKind.OptimizerCounter, StepCountName, LongWriter([optimizer.StepCount])));
            entries.Add((EntryKind.OptimizerCounter, ParameterStepsName, LongWriter(optimizer.ParameterSteps.ToArray())));
        }
        return entries;
    }

    private static EntryWriter TensorWriter(Tensor t) => (stream, hash, kind, name) =>
    {
        var data = t.ToArray();
        WriteEntryHeader(stream, hash, kind, name, DataType.Float32, [.. t.Shape]);
        var bytes = new byte[data.Length * 4];
        for (int i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), data[i]);
        }
        Write(stream, hash, bytes);
    };

    private static EntryWriter LongWriter(long[] values) => (stream, hash, kind, name) =>
    {
        WriteEntryHeader(stream, hash, kind, name, DataType.Int64, [values.Length]);
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }
        Write(stream, hash, bytes);
    };

    private static void WriteEntryHeader(Stream stream, IncrementalHash hash, EntryKind kind, string name, DataType type, int[] shape)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var header = new byte[1 + 4 + nameBytes.Length + 1 + 1 + 4 * shape.Length];
        int o = 0;
        header[o++] = (byte)kind;
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(o), (uint)nameBytes.Length);
        o += 4;
        nameBytes.CopyTo(header, o);
        o += nameBytes.Length;
        header[o++] = (byte)type;
        header[o++] = (byte)shape.Length;
        foreach (int d in shape)
        {
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(o), d);
            o += 4;
        }
        Write(stream, hash, header);
    }

    private static void Write(Stream stream, IncrementalHash hash, byte[] bytes)
    {
        hash.AppendData(bytes);
        stream.Write(bytes);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Reads <paramref name="path"/> into <paramref name="module"/>'s parameters and buffers (and
    /// <paramref name="optimizer"/>'s state when given). Throws <see cref="InvalidDataException"/>
    /// naming the file and the entry when the file is not a valid checkpoint for them; in that case
    /// nothing is changed.
    /// </summary>
    public static void Load(string path, Module module, Optimizer? optimizer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(module);
        var bytes = File.ReadAllBytes(path);
        var entries = Parse(path, bytes);

        var targets = new List<(Entry Entry, Tensor Target)>();
        var used = new HashSet<(EntryKind, string)>();
        void Match(EntryKind kind, string name, Tensor target)
        {
            if (!entries.TryGetValue((kind, name), out var e))
            {
                throw Invalid(path, $"{Describe(kind)} '{name}' of the model is missing from the file.");
            }
            if (e.Floats is null)
            {
                throw Invalid(path, $"entry '{name}' holds integers, expected float32 data.");
            }
            if (!e.Shape.AsSpan().SequenceEqual(target.Shape.ToArray()))
            {
                throw Invalid(path, $"entry '{name}' has shape {Layout.Format(e.Shape)} but the model expects {target.ShapeString}.");
            }
            targets.Add((e, target));
            used.Add((kind, name));
        }

        foreach (var (name, t) in module.NamedParameters())
        {
            Match(EntryKind.Parameter, name, t);
        }
        foreach (var (name, t) in module.NamedBuffers())
        {
            Match(EntryKind.Buffer, name, t);
        }
        foreach (var key in entries.Keys)
        {
            if (key.Item1 is EntryKind.Parameter or EntryKind.Buffer && !used.Contains(key))
            {
                throw Invalid(path, $"{Describe(key.Item1)} entry '{key.Item2}' does not exist in the model.");
            }
        }
        long stepCount = 0;
        long[]? parameterSteps = null;
        if (optimizer is not null)
        {
            foreach (var (name, t) in optimizer.NamedState())
            {
                Match(EntryKind.OptimizerState, name, t);
            }
            foreach (var key in entries.Keys)
            {
                if (key.Item1 == EntryKind.OptimizerState && !used.Contains(key))
                {
                    throw Invalid(path, $"optimizer state entry '{key.Item2}' does not exist in the {optimizer.GetType().Name} optimizer.");
                }
            }
            stepCount = Counter(path, entries, StepCountName, 1)[0];
            parameterSteps = Counter(path, entries, ParameterStepsName, optimizer.Parameters.Count);
        }

        foreach (var (e, target) in targets)
        {
            if (!target.IsContiguous)
            {
                throw new InvalidOperationException($"Checkpoint load: tensor '{e.Name}' is not contiguous and cannot be written in place.");
            }
            target.Device.Backend.Upload(e.Floats, target.Buffer, target.Offset);
        }
        if (optimizer is not null)
        {
            optimizer.RestoreCounters(stepCount, parameterSteps!);
        }
    }

    private static long[] Counter(string path, Dictionary<(EntryKind, string), Entry> entries, string name, int length)
    {
        if (!entries.TryGetValue((EntryKind.OptimizerCounter, name), out var e))
        {
            throw Invalid(path, $"optimizer counter '{name}' is missing (was the file saved without an optimizer?).");
        }
        if (e.Longs is null || e.Longs.Length != length)
        {
            throw Invalid(path, $"optimizer counter '{name}' has shape {Layout.Format(e.Shape)}, expected [{length}] integers.");
        }
        return e.Longs;
    }

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.Parameter => "parameter",
        EntryKind.Buffer => "buffer",
        EntryKind.OptimizerState => "optimizer state",
        _ => "optimizer counter",
    };

    private static InvalidDataException Invalid(string path, string message) => new($"Checkpoint '{path}': {message}");

    private static Dictionary<(EntryKind, string), Entry> Parse(string path, byte[] bytes)
    {
        const int headerLength = 12;
        if (bytes.Length < 4 || Encoding.ASCII.GetString(bytes, 0, 4) != Magic)
        {
            throw Invalid(path, $"not a Semola checkpoint (the file does not start with \"{Magic}\").");
        }
        if (bytes.Length < headerLength + HashLength)
        {
            throw Invalid(path, $"file truncated: {bytes.Length} bytes is shorter than the header and checksum.");
        }
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4));
        if (version != Version)
        {
            throw Invalid(path, $"format version {version} is not supported (this build reads version {Version}).");
        }
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int end = bytes.Length - HashLength;
        int o = headerLength;
        var entries = new Dictionary<(EntryKind, string), Entry>();
        for (uint index = 0; index < count; index++)
        {
            string where = $"entry {index}";
            void Need(long n, string what)
            {
                if (o + n > end)
                {
                    throw Invalid(path, $"file truncated or corrupt in {where}: {what} needs {n} bytes at offset {o}, but the entries end at offset {end}.");
                }
            }

            Need(5, "the kind and name length");
            var kind = (EntryKind)bytes[o];
            uint nameLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(o + 1));
            o += 5;
            if (kind is < EntryKind.Parameter or > EntryKind.OptimizerCounter || nameLength == 0 || nameLength > MaxNameBytes)
            {
                throw Invalid(path, $"corrupt {where}: kind {(byte)kind}, name length {nameLength}.");
            }
            Need(nameLength, "the name");
            string name = Encoding.UTF8.GetString(bytes, o, (int)nameLength);
            o += (int)nameLength;
            where = $"entry {index} ('{name}')";
            Need(2, "the data type and rank");
            var type = (DataType)bytes[o];
            int rank = bytes[o + 1];
            o += 2;
            if (type is not (DataType.Float32 or DataType.Int64) || rank > MaxRank)
            {
                throw Invalid(path, $"corrupt {where}: data type {(byte)type}, rank {rank}.");
            }
            Need(4L * rank, "the shape");
            var shape = new int[rank];
            long numel = 1;
            for (int i = 0; i < rank; i++)
            {
                shape[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(o + 4 * i));
                if (shape[i] < 0)
                {
                    throw Invalid(path, $"corrupt {where}: negative dimension in {Layout.Format(shape)}.");
                }
                numel *= shape[i];
                if (numel > int.MaxValue)
                {
                    throw Invalid(path, $"corrupt {where}: shape {Layout.Format(shape)} is too large.");
                }
            }
            o += 4 * rank;
            int size = type == DataType.Float32 ? 4 : 8;
            Need(numel * size, $"the data of shape {Layout.Format(shape)}");
            float[]? floats = null;
            long[]? longs = null;
            if (type == DataType.Float32)
            {
                floats = new float[numel];
                if (BitConverter.IsLittleEndian)
                {
                    bytes.AsSpan(o, (int)numel * 4).CopyTo(MemoryMarshal.AsBytes(floats.AsSpan()));
                }
                else
                {
                    for (int i = 0; i < numel; i++)
                    {
                        floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(o + 4 * i));
                    }
                }
            }
            else
            {
                longs = new long[numel];
                for (int i = 0; i < numel; i++)
                {
                    longs[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(o + 8 * i));
                }
            }
            o += (int)numel * size;
            if (!entries.TryAdd((kind, name), new Entry(kind, name, shape, floats, longs)))
            {
                throw Invalid(path, $"{where} appears twice.");
            }
        }
        if (o != end)
        {
            throw Invalid(path, $"{end - o} unexpected bytes after the last entry (file corrupt or entry count wrong).");
        }
        var expected = SHA256.HashData(bytes.AsSpan(0, end));
        if (!expected.AsSpan().SequenceEqual(bytes.AsSpan(end)))
        {
            throw Invalid(path, "SHA-256 checksum mismatch: the file is corrupt.");
        }
        return entries;
    }
}

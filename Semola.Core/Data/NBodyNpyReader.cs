using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Semola.Core.Data;

/// <summary>
/// Reads trajectories from a NumPy .npy file (format versions 1, 2 and 3; optionally gzip-compressed): a
/// float32 or float64 array (either byte order) in C order of shape [N, T, D], where D = 4 * bodies is the
/// state (q1, p1, q2, p2, ...) as (x, y) pairs. Anything else is an <see cref="InvalidDataException"/>.
/// </summary>
public static partial class NBodyNpyReader
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=])([a-z])(\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    /// <summary>Reads the file.</summary>
    public static NBodyTrajectories Read(string path)
    {
        byte[] bytes = DataFile.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path}: not a .npy file (missing the \\x93NUMPY magic).");
        }
        int major = bytes[6];
        int headerLength, headerStart;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            headerStart = 10;
        }
        else if (major is 2 or 3)
        {
            if (bytes.Length < 12)
            {
                throw new InvalidDataException($"{path}: truncated .npy header.");
            }
            long len = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
            if (len > int.MaxValue)
            {
                throw new InvalidDataException($"{path}: implausible .npy header length {len}.");
            }
            headerLength = (int)len;
            headerStart = 12;
        }
        else
        {
            throw new InvalidDataException($"{path}: unsupported .npy format version {major}.");
        }
        if ((long)headerStart + headerLength > bytes.Length)
        {
            throw new InvalidDataException($"{path}: truncated .npy header ({headerLength} bytes announced, {bytes.Length - headerStart} present).");
        }
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shapeMatch = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shapeMatch.Success)
        {
            throw new InvalidDataException($"{path}: malformed .npy header '{header.Trim()}'.");
        }
        char order = descr.Groups[1].Value[0];
        string kind = descr.Groups[2].Value;
        int width = int.Parse(descr.Groups[3].Value, CultureInfo.InvariantCulture);
        if (kind != "f" || width is not (4 or 8))
        {
            throw new InvalidDataException($"{path}: dtype '{order}{kind}{width}' is not supported; expected float32 or float64.");
        }
        if (fortran.Groups[1].Value == "True")
        {
            throw new InvalidDataException($"{path}: Fortran-ordered arrays are not supported; save the array in C order.");
        }
        var dims = shapeMatch.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (dims.Length != 3)
        {
            throw new InvalidDataException($"{path}: expected a 3-d array [N, T, D], found shape ({shapeMatch.Groups[1].Value}).");
        }
        var shape = new long[3];
        for (int i = 0; i < 3; i++)
        {
            if (!long.TryParse(dims[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
            {
                throw new InvalidDataException($"{path}: shape entry '{dims[i]}' is not a positive integer.");
            }
        }
        if (shape[2] % 4 != 0)
        {
            throw new InvalidDataException($"{path}: the last dimension ({shape[2]}) must hold 4 values (q_x, q_y, p_x, p_y) per body.");
        }
        long numel = shape[0] * shape[1] * shape[2];
        int dataStart = headerStart + headerLength;
        if (numel > int.MaxValue || numel * width != bytes.Length - dataStart)
        {
            throw new InvalidDataException($"{path}: shape ({shape[0]}, {shape[1]}, {shape[2]}) of {width}-byte floats needs {numel * width} data bytes, found {bytes.Length - dataStart} (truncated or wrong shape).");
        }
        bool bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        var data = new float[numel];
        var span = bytes.AsSpan(dataStart);
        for (int i = 0; i < data.Length; i++)
        {
            double v = width == 4
                ? (bigEndian ? BinaryPrimitives.ReadSingleBigEndian(span[(i * 4)..]) : BinaryPrimitives.ReadSingleLittleEndian(span[(i * 4)..]))
                : (bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(span[(i * 8)..]) : BinaryPrimitives.ReadDoubleLittleEndian(span[(i * 8)..]));
            if (!double.IsFinite(v))
            {
                throw new InvalidDataException($"{path}: value {i} is not finite.");
            }
            data[i] = (float)v;
        }
        return new NBodyTrajectories(data, (int)shape[0], (int)shape[1], (int)shape[2]);
    }
}

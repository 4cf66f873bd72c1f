using System.Buffers.Binary;
using System.Globalization;

namespace Semola.Core.Data;

/// <summary>
/// A table of samples for <c>discover</c>: a CSV file with a header row (columns named by the header) or a .npy
/// array of shape [N, D] (columns named 0..D-1), either optionally gzip-compressed. Cells are checked when columns
/// are read: every error names the file, the line (CSV) or row, and the column.
/// </summary>
public sealed class TabularFile
{
    private readonly string[][]? _cells; // CSV rows
    private readonly int[]? _lines; // CSV line number of each row
    private readonly NpyArray? _array;
    private long[]? _ints; // integer .npy values, converted once

    private TabularFile(string source, string[] columns, string[][]? cells, int[]? lines, NpyArray? array, int rows)
    {
        Source = source;
        Columns = columns;
        _cells = cells;
        _lines = lines;
        _array = array;
        Rows = rows;
    }

    /// <summary>Where the table came from (for messages).</summary>
    public string Source { get; }

    /// <summary>Column names (the header of a CSV file; "0", "1", ... for .npy).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of rows (samples).</summary>
    public int Rows { get; }

    /// <summary>Reads a .csv or .npy file (optionally .gz).</summary>
    public static TabularFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new IOException($"--data '{path}' is a directory; expected a .csv or .npy file.");
        }
        DataFile.RequireExists(path);
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var a = NpyReader.Read(path);
            if (a.Rank != 2)
            {
                throw new InvalidDataException($"{path}: expected a 2-D array [samples, columns], got shape {a.ShapeText}.");
            }
            if (!(a.IsFloat || (a.IsInteger && a.Kind != 'b')))
            {
                throw new InvalidDataException($"{path}: dtype '{a.DType}' is not numeric; expected float32, float64 or an integer type.");
            }
            var cols = Enumerable.Range(0, a.Shape[1]).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            return new TabularFile(path, cols, null, null, a, a.Shape[0]);
        }
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return ParseCsv(DataFile.ReadAllBytes(path), path);
        }
        throw new IOException($"--data '{path}': expected a .csv or .npy file (optionally .gz).");
    }

    /// <summary>Parses CSV text: a header row, then one row per sample with as many comma-separated cells.</summary>
    public static TabularFile ParseCsv(byte[] bytes, string source)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string text;
        try
        {
            text = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw new InvalidDataException($"{source}: not a text (UTF-8) CSV file.");
        }
        var lines = text.Split('\n');
        string[]? header = null;
        var rows = new List<string[]>();
        var lineNumbers = new List<int>();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }
            var cells = SplitLine(line, source, i + 1);
            if (header is null)
            {
                header = cells.Select(c => c.Trim()).ToArray();
                var dup = header.GroupBy(h => h, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1 || g.Key.Length == 0);
                if (dup is not null)
                {
                    throw new InvalidDataException(dup.Key.Length == 0
                        ? $"{source}:{i + 1}: the header has an empty column name."
                        : $"{source}:{i + 1}: the header names column '{dup.Key}' twice.");
                }
                continue;
            }
            if (cells.Length != header.Length)
            {
                throw new InvalidDataException($"{source}:{i + 1}: {cells.Length} cells, but the header has {header.Length} columns.");
            }
            rows.Add(cells);
            lineNumbers.Add(i + 1);
        }
        if (header is null)
        {
            throw new InvalidDataException($"{source}: the file is empty; expected a header row and data rows.");
        }
        return new TabularFile(source, header, [.. rows], [.. lineNumbers], null, rows.Count);
    }

    private static string[] SplitLine(string line, string source, int number)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        if (quoted)
        {
            throw new InvalidDataException($"{source}:{number}: a quoted cell is not closed.");
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }

    /// <summary>
    /// Resolves a comma-separated list of column names (or 0-based indices where no column has that name) to column
    /// indices; <paramref name="option"/> names the option in errors.
    /// </summary>
    public int[] Resolve(string spec, string option)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"--{option} '{spec}': expected comma-separated column names or 0-based indices.");
        }
        var result = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            int byName = Columns.ToList().IndexOf(parts[i]);
            if (byName >= 0)
            {
                result[i] = byName;
            }
            else if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < Columns.Count)
            {
                result[i] = index;
            }
            else
            {
                string known = Columns.Count <= 12 ? string.Join(", ", Columns) : string.Join(", ", Columns.Take(12)) + ", ...";
                throw new ArgumentException($"--{option}: {Source} has no column '{parts[i]}' (columns: {known}; or a 0-based index below {Columns.Count}).");
            }
        }
        var repeated = result.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"--{option} names column '{Columns[repeated.Key]}' twice.");
        }
        return result;
    }

    /// <summary>The given columns as a row-major [Rows, columns.Length] array; every cell must be a finite number.</summary>
    public float[] Numeric(IReadOnlyList<int> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var result = new float[(long)Rows * columns.Count];
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < columns.Count; c++)
            {
                double v = Value(r, columns[c]);
                if (!double.IsFinite(v) || Math.Abs(v) > float.MaxValue)
                {
                    throw new InvalidDataException($"{Where(r)}, column '{Columns[columns[c]]}': {v.ToString(CultureInfo.InvariantCulture)} is not a finite number.");
                }
                result[(long)r * columns.Count + c] = (float)v;
            }
        }
        return result;
    }

    /// <summary>One column's cells as text (class labels).</summary>
    public string[] Text(int column)
    {
        var result = new string[Rows];
        for (int r = 0; r < Rows; r++)
        {
            result[r] = _cells is not null ? _cells[r][column].Trim() : Value(r, column).ToString("R", CultureInfo.InvariantCulture);
        }
        return result;
    }

    private string Where(int row) => _lines is not null ? $"{Source}:{_lines[row]}" : $"{Source}: row {row}";

    private double Value(int row, int column)
    {
        if (_cells is not null)
        {
            string cell = _cells[row][column].Trim();
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            {
                throw new InvalidDataException($"{Where(row)}, column '{Columns[column]}': '{cell}' is not a number.");
            }
            return v;
        }
        var a = _array!;
        long i = (long)row * a.Shape[1] + column;
        var span = a.Data.Span;
        int size = a.ItemSize;
        var e = span.Slice((int)(i * size), size);
        return (a.Kind, size) switch
        {
            ('f', 4) => a.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(e) : BinaryPrimitives.ReadSingleLittleEndian(e),
            ('f', 8) => a.BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(e) : BinaryPrimitives.ReadDoubleLittleEndian(e),
            ('f', _) => throw new InvalidDataException($"{Source}: dtype '{a.DType}' is not supported; expected float32 or float64."),
            _ => (_ints ??= a.ToInt64())[i],
        };
    }
}

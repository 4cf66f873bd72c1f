using System.Globalization;

namespace Semola.Core.Data;

/// <summary>
/// Reads trajectories from CSV (optionally gzip-compressed): one row per trajectory step,
/// <c>trajectory,step,v0,...,v{D-1}</c>, where the D = 4 * bodies values are the state (q1, p1, q2, p2, ...)
/// as (x, y) pairs. Rows are grouped by trajectory with steps 0, 1, ..., T-1 in order; every trajectory has
/// the same T. Blank lines and lines starting with '#' are skipped, and a first line whose first field is
/// not a number is a header. Any deviation is an <see cref="InvalidDataException"/> naming the line.
/// </summary>
public static class NBodyCsvReader
{
    /// <summary>Reads the file.</summary>
    public static NBodyTrajectories Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        var values = new List<float>();
        int stateSize = -1, steps = -1, count = 0, lineNo = 0;
        string? currentId = null;
        int currentSteps = 0;
        bool firstContent = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNo++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }
            var fields = trimmed.Split(',');
            if (firstContent)
            {
                firstContent = false;
                if (!double.TryParse(fields[0].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    continue; // header
                }
            }
            if (stateSize < 0)
            {
                stateSize = fields.Length - 2;
                if (stateSize < 4 || stateSize % 4 != 0)
                {
                    throw new InvalidDataException($"{path}:{lineNo}: a row must be trajectory,step followed by 4 values (q_x, q_y, p_x, p_y) per body; found {fields.Length} fields.");
                }
            }
            else if (fields.Length != stateSize + 2)
            {
                throw new InvalidDataException($"{path}:{lineNo}: expected {stateSize + 2} fields like the first row, found {fields.Length}.");
            }
            string id = fields[0].Trim();
            if (!int.TryParse(fields[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int step))
            {
                throw new InvalidDataException($"{path}:{lineNo}: the step '{fields[1].Trim()}' is not an integer.");
            }
            if (id != currentId)
            {
                if (currentId is not null)
                {
                    CloseTrajectory(path, lineNo, currentId, currentSteps, ref steps);
                }
                currentId = id;
                currentSteps = 0;
                count++;
            }
            if (step != currentSteps)
            {
                throw new InvalidDataException($"{path}:{lineNo}: trajectory '{id}' has step {step} where step {currentSteps} was expected (rows must be grouped by trajectory, steps 0, 1, ... in order).");
            }
            currentSteps++;
            for (int c = 0; c < stateSize; c++)
            {
                string f = fields[c + 2].Trim();
                if (!float.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) || !float.IsFinite(v))
                {
                    throw new InvalidDataException($"{path}:{lineNo}: value {c + 1} ('{f}') is not a finite number.");
                }
                values.Add(v);
            }
        }
        if (currentId is null)
        {
            throw new InvalidDataException($"{path}: no trajectory rows found.");
        }
        CloseTrajectory(path, lineNo, currentId, currentSteps, ref steps);
        return new NBodyTrajectories(values.ToArray(), count, steps, stateSize);
    }

    private static void CloseTrajectory(string path, int lineNo, string id, int stepsSeen, ref int steps)
    {
        if (steps < 0)
        {
            steps = stepsSeen;
        }
        else if (stepsSeen != steps)
        {
            throw new InvalidDataException($"{path}:{lineNo}: trajectory '{id}' has {stepsSeen} steps but the first one has {steps}; all trajectories must be equally long.");
        }
    }
}

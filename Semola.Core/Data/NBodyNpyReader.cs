namespace Semola.Core.Data;

/// <summary>
/// Reads trajectories from a NumPy .npy file (format versions 1, 2 and 3; optionally gzip-compressed; see
/// <see cref="NpyReader"/>): a float32 or float64 array (either byte order) in C order of shape [N, T, D],
/// where D = 4 * bodies is the state (q1, p1, q2, p2, ...) as (x, y) pairs. Anything else is an
/// <see cref="InvalidDataException"/>.
/// </summary>
public static class NBodyNpyReader
{
    /// <summary>Reads the file.</summary>
    public static NBodyTrajectories Read(string path)
    {
        var array = NpyReader.Read(path);
        if (!array.IsFloat)
        {
            throw new InvalidDataException($"{path}: dtype '{array.DType}' is not supported; expected float32 or float64.");
        }

        if (array.Rank != 3)
        {
            throw new InvalidDataException($"{path}: expected a 3-d array [N, T, D], found shape {array.ShapeText}.");
        }

        foreach (int d in array.Shape)
        {
            if (d < 1)
            {
                throw new InvalidDataException($"{path}: shape entry '{d}' is not a positive integer.");
            }
        }

        if (array.Shape[2] % 4 != 0)
        {
            throw new InvalidDataException($"{path}: the last dimension ({array.Shape[2]}) must hold 4 values (q_x, q_y, p_x, p_y) per body.");
        }

        return new NBodyTrajectories(array.ToSingles(), array.Shape[0], array.Shape[1], array.Shape[2]);
    }
}

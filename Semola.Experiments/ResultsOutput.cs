using System.Globalization;
using System.Text.Json.Nodes;
using Semola.Core.Lie;

namespace Semola.Experiments;

/// <summary>Pieces shared by the experiment verbs' result files.</summary>
public static class ResultsOutput
{
    /// <summary>A matrix as nested JSON arrays (rounded to 6 decimals).</summary>
    public static JsonArray Matrix(double[,] m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var rows = new JsonArray();
        for (int i = 0; i < m.GetLength(0); i++)
        {
            var row = new JsonArray();
            for (int j = 0; j < m.GetLength(1); j++)
            {
                row.Add(Math.Round(m[i, j], 6));
            }
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A number, or JSON null when it is NaN or infinite (e.g. a metric a method does not have).</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Writes generators.svg: the (unit-norm) ground truth beside each learned generator with its cosine.</summary>
    public static void WriteGeneratorFigure(string path, IReadOnlyList<double[,]> learned, double[,] truth)
    {
        ArgumentNullException.ThrowIfNull(learned);
        ArgumentNullException.ThrowIfNull(truth);
        var ic = CultureInfo.InvariantCulture;
        double norm = LieAlgebraMetrics.FrobeniusNorm(truth);
        var unit = (double[,])truth.Clone();
        for (int i = 0; i < unit.GetLength(0); i++)
        {
            for (int j = 0; j < unit.GetLength(1); j++)
            {
                unit[i, j] /= norm;
            }
        }
        var panels = new List<(string, double[,])> { ("ground truth (rotation)", unit) };
        for (int i = 0; i < learned.Count; i++)
        {
            panels.Add((string.Format(ic, "learned L{0} (cos {1:F3})", i + 1, LieAlgebraMetrics.GeneratorCosine(learned[i], truth)), learned[i]));
        }
        OutputFiles.WriteAtomic(path, GeneratorFigure.Svg(panels));
    }
}

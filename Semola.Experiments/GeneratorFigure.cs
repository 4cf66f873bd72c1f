using System.Globalization;
using System.Text;

namespace Semola.Experiments;

/// <summary>
/// Draws matrices as SVG heat maps (blue negative, red positive, grey for a missing value) side by side; values are printed
/// in the cells of matrices up to 12 x 12, larger ones are drawn with smaller cells and no numbers.
/// </summary>
public static class GeneratorFigure
{
    /// <summary>A copy of <paramref name="m"/> scaled to unit Frobenius norm (unchanged when its norm is 0 or not finite).</summary>
    public static double[,] UnitNorm(double[,] m)
    {
        ArgumentNullException.ThrowIfNull(m);
        double norm = Semola.Core.Lie.LieAlgebraMetrics.FrobeniusNorm(m);
        var u = (double[,])m.Clone();
        if (norm > 0 && double.IsFinite(norm))
        {
            for (int i = 0; i < u.GetLength(0); i++)
            {
                for (int j = 0; j < u.GetLength(1); j++)
                {
                    u[i, j] /= norm;
                }
            }
        }
        return u;
    }

    /// <summary>Builds the SVG document for titled matrices.</summary>
    public static string Svg(IReadOnlyList<(string Title, double[,] Matrix)> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        const int Gap = 30, Top = 40, Left = 20;
        var ic = CultureInfo.InvariantCulture;
        int largest = panels.Count == 0 ? 1 : panels.Max(p => Math.Max(p.Matrix.GetLength(0), p.Matrix.GetLength(1)));
        int Cell = largest <= 12 ? 44 : Math.Max(4, 528 / largest);
        bool numbers = largest <= 12;
        int width = Left;
        foreach (var (title, m) in panels)
        {
            width += Math.Max(m.GetLength(1) * Cell, 7 * Math.Min(title.Length, 60)) + Gap;
        }
        int rows = panels.Count == 0 ? 0 : panels.Max(p => p.Matrix.GetLength(0));
        int height = Top + rows * Cell + 20;
        var sb = new StringBuilder();
        sb.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        int x0 = Left;
        foreach (var (title, m) in panels)
        {
            int r = m.GetLength(0), c = m.GetLength(1);
            double scale = 1e-12;
            foreach (double v in m)
            {
                if (double.IsFinite(v))
                {
                    scale = Math.Max(scale, Math.Abs(v));
                }
            }
            sb.Append(ic, $"<text x=\"{x0}\" y=\"{Top - 12}\" font-size=\"13\">{Escape(title)}</text>\n");
            for (int i = 0; i < r; i++)
            {
                for (int j = 0; j < c; j++)
                {
                    double t = double.IsFinite(m[i, j]) ? m[i, j] / scale : 0;
                    int red = t > 0 ? 255 : (int)(255 * (1 + t));
                    int blue = t < 0 ? 255 : (int)(255 * (1 - t));
                    int green = (int)(255 * (1 - Math.Abs(t)));
                    string fill = double.IsFinite(m[i, j]) ? string.Create(ic, $"rgb({red},{green},{blue})") : "#bbb";
                    sb.Append(ic, $"<rect x=\"{x0 + j * Cell}\" y=\"{Top + i * Cell}\" width=\"{Cell}\" height=\"{Cell}\" fill=\"{fill}\" stroke=\"#888\"/>\n");
                    if (!numbers)
                    {
                        continue;
                    }
                    sb.Append(ic, $"<text x=\"{x0 + j * Cell + Cell / 2}\" y=\"{Top + i * Cell + Cell / 2 + 4}\" text-anchor=\"middle\"{(Math.Abs(t) > 0.6 ? " fill=\"white\"" : string.Empty)}>{m[i, j]:F2}</text>\n");
                }
            }
            x0 += Math.Max(c * Cell, 7 * Math.Min(title.Length, 60)) + Gap;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);
}

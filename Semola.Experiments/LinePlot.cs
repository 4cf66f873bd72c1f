using System.Globalization;
using System.Net;
using System.Text;

namespace Semola.Experiments;

/// <summary>
/// A small self-contained SVG line plot with error bars (one line per series, with a legend), e.g. accuracy against
/// training fraction or loss terms against epoch.
/// </summary>
public static class LinePlot
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

    /// <summary>The plot of <paramref name="series"/>: name, then points (x, mean, standard deviation).</summary>
    public static string Svg(string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Mean, double Sd)> Points)> series)
        => Svg(xLabel, yLabel, series, logY: false);

    /// <summary>
    /// The plot of <paramref name="series"/>: name, then points (x, mean, standard deviation); with <paramref name="logY"/>
    /// the y axis is logarithmic (points that are not positive are left out). Non-finite points are left out.
    /// </summary>
    public static string Svg(string xLabel, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(double X, double Mean, double Sd)> Points)> series, bool logY)
    {
        ArgumentNullException.ThrowIfNull(series);
        var ic = CultureInfo.InvariantCulture;
        const double W = 560, H = 360, L = 70, R = 170, T = 20, B = 50;
        var clean = series.Select(s => (s.Name, Points: s.Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Mean) && (!logY || p.Mean > 0))
            .Select(p => (p.X, p.Mean, Sd: double.IsFinite(p.Sd) ? Math.Abs(p.Sd) : 0)).ToList())).ToList();
        double Ty(double y) => logY ? Math.Log10(y) : y;
        var all = clean.SelectMany(s => s.Points).ToList();
        double x0 = all.Count == 0 ? 0 : all.Min(p => p.X), x1 = all.Count == 0 ? 1 : all.Max(p => p.X);
        double y0 = all.Count == 0 ? 0 : all.Min(p => Ty(logY && p.Mean - p.Sd <= 0 ? p.Mean : p.Mean - p.Sd));
        double y1 = all.Count == 0 ? 1 : all.Max(p => Ty(p.Mean + p.Sd));
        if (x1 <= x0)
        {
            x1 = x0 + 1;
        }
        if (y1 <= y0)
        {
            y1 = y0 + 1;
        }
        double pad = (y1 - y0) * 0.05;
        y0 -= pad;
        y1 += pad;
        double Px(double x) => L + (x - x0) / (x1 - x0) * (W - L - R);
        double Py(double y) => H - B - (Ty(y) - y0) / (y1 - y0) * (H - T - B);
        double Clip(double y) => Math.Clamp(y, T, H - B);
        var sb = new StringBuilder();
        sb.Append(ic, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        sb.Append(ic, $"<rect width=\"{W}\" height=\"{H}\" fill=\"white\"/>\n");
        sb.Append(ic, $"<line x1=\"{L}\" y1=\"{H - B}\" x2=\"{W - R}\" y2=\"{H - B}\" stroke=\"black\"/><line x1=\"{L}\" y1=\"{T}\" x2=\"{L}\" y2=\"{H - B}\" stroke=\"black\"/>\n");
        bool integral = all.Count > 0 && all.All(p => p.X == Math.Round(p.X));
        foreach (double xv in Ticks(x0, x1, integral))
        {
            sb.Append(ic, $"<text x=\"{Px(xv):F1}\" y=\"{H - B + 16}\" text-anchor=\"middle\">{xv:G3}</text><line x1=\"{Px(xv):F1}\" y1=\"{H - B}\" x2=\"{Px(xv):F1}\" y2=\"{H - B + 4}\" stroke=\"black\"/>\n");
        }
        var yTicks = Ticks(y0, y1, logY);
        if (yTicks.Count < 2)
        {
            yTicks = Ticks(y0, y1, false);
        }
        foreach (double yt in yTicks)
        {
            double yv = logY ? Math.Pow(10, yt) : yt;
            sb.Append(ic, $"<text x=\"{L - 6}\" y=\"{Py(yv) + 4:F1}\" text-anchor=\"end\">{yv:G3}</text><line x1=\"{L - 4}\" y1=\"{Py(yv):F1}\" x2=\"{W - R}\" y2=\"{Py(yv):F1}\" stroke=\"#ddd\"/>\n");
        }
        sb.Append(ic, $"<text x=\"{(L + W - R) / 2}\" y=\"{H - 10}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)}</text>\n");
        string yTitle = logY ? yLabel + " (log scale)" : yLabel;
        sb.Append(ic, $"<text x=\"14\" y=\"{(T + H - B) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {(T + H - B) / 2})\">{WebUtility.HtmlEncode(yTitle)}</text>\n");
        for (int s = 0; s < clean.Count; s++)
        {
            string c = Colours[s % Colours.Length];
            var pts = clean[s].Points;
            // Series with error bars are nudged apart sideways so that bars at the same x stay visible.
            double dx = all.Any(p => p.Sd > 0) ? (s - (clean.Count - 1) / 2.0) * 4 : 0;
            double Sx(double x) => Px(x) + dx;
            if (pts.Count > 0)
            {
                sb.Append(ic, $"<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{string.Join(" ", pts.Select(p => string.Create(ic, $"{Sx(p.X):F1},{Py(p.Mean):F1}")))}\"/>\n");
            }
            foreach (var p in pts)
            {
                if (p.Sd > 0)
                {
                    double lo = logY && p.Mean - p.Sd <= 0 ? H - B : Py(p.Mean - p.Sd);
                    sb.Append(ic, $"<line x1=\"{Sx(p.X):F1}\" y1=\"{Clip(lo):F1}\" x2=\"{Sx(p.X):F1}\" y2=\"{Clip(Py(p.Mean + p.Sd)):F1}\" stroke=\"{c}\"/>");
                }
                if (pts.Count <= 60)
                {
                    sb.Append(ic, $"<circle cx=\"{Sx(p.X):F1}\" cy=\"{Py(p.Mean):F1}\" r=\"3\" fill=\"{c}\"/>\n");
                }
            }
            double ly = T + 8 + 16 * s;
            string name = clean[s].Name.Length > 24 ? clean[s].Name[..23] + "\u2026" : clean[s].Name;
            sb.Append(ic, $"<line x1=\"{W - R + 10}\" y1=\"{ly:F1}\" x2=\"{W - R + 28}\" y2=\"{ly:F1}\" stroke=\"{c}\" stroke-width=\"3\"/>");
            sb.Append(ic, $"<text x=\"{W - R + 34}\" y=\"{ly + 4:F1}\" fill=\"{c}\">{WebUtility.HtmlEncode(name)}</text>\n");
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>About five round tick values (1, 2 or 5 times a power of ten apart) in [lo, hi]; whole numbers only with <paramref name="integral"/>.</summary>
    private static List<double> Ticks(double lo, double hi, bool integral)
    {
        double raw = (hi - lo) / 5;
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
        if (integral)
        {
            step = Math.Max(1, Math.Round(step));
        }
        var ticks = new List<double>();
        for (double t = Math.Ceiling(lo / step) * step; t <= hi + step * 1e-9 && ticks.Count < 12; t += step)
        {
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        }
        return ticks;
    }
}

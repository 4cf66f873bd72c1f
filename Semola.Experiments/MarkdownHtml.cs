using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Semola.Experiments;

/// <summary>
/// Turns the small markdown of a summary.md into HTML that is also well-formed XML: headings, paragraphs, bulleted and
/// numbered lists, pipe tables, fenced code blocks, and inline <c>`code`</c> and <c>**bold**</c>. Everything else is text,
/// HTML-escaped (raw HTML in the markdown is shown, never interpreted).
/// </summary>
public static partial class MarkdownHtml
{
    /// <summary>The HTML of <paramref name="markdown"/>; headings start at level <paramref name="topHeading"/> (h3 by default).</summary>
    public static string Render(string markdown, int topHeading = 3)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var sb = new StringBuilder();
        var paragraph = new List<string>();
        void Flush()
        {
            if (paragraph.Count > 0)
            {
                sb.Append("<p>").Append(Inline(string.Join(" ", paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i].TrimEnd();
            string t = line.TrimStart();
            if (t.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                var code = new List<string>();
                i++;
                while (i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    code.Add(lines[i]);
                    i++;
                }
                i++;
                sb.Append("<pre>").Append(WebUtility.HtmlEncode(string.Join("\n", code))).Append("</pre>\n");
                continue;
            }
            if (t.Length == 0)
            {
                Flush();
                i++;
                continue;
            }
            var heading = Heading().Match(t);
            if (heading.Success)
            {
                Flush();
                int level = Math.Min(6, topHeading - 1 + heading.Groups[1].Value.Length);
                sb.Append("<h").Append(level).Append('>').Append(Inline(heading.Groups[2].Value)).Append("</h").Append(level).Append(">\n");
                i++;
                continue;
            }
            if (t.StartsWith('|'))
            {
                Flush();
                var rows = new List<string>();
                while (i < lines.Length && lines[i].TrimStart().StartsWith('|'))
                {
                    rows.Add(lines[i].Trim());
                    i++;
                }
                Table(sb, rows);
                continue;
            }
            bool bullet = Bullet().IsMatch(t), numbered = Numbered().IsMatch(t);
            if (bullet || numbered)
            {
                Flush();
                string tag = bullet ? "ul" : "ol";
                sb.Append('<').Append(tag).Append(">\n");
                while (i < lines.Length)
                {
                    string li = lines[i].Trim();
                    var m = bullet ? Bullet().Match(li) : Numbered().Match(li);
                    if (m.Success)
                    {
                        sb.Append("<li>").Append(Inline(m.Groups[1].Value)).Append("</li>\n");
                    }
                    else if (li.Length > 0 && sb.Length > 0 && !Bullet().IsMatch(li) && !Numbered().IsMatch(li) && !li.StartsWith('|') && !li.StartsWith('#') && !li.StartsWith("```", StringComparison.Ordinal))
                    {
                        // A continuation line of the previous item.
                        sb.Insert(sb.Length - "</li>\n".Length, " " + Inline(li));
                    }
                    else
                    {
                        break;
                    }
                    i++;
                }
                sb.Append("</").Append(tag).Append(">\n");
                continue;
            }
            paragraph.Add(t);
            i++;
        }
        Flush();
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, List<string> rows)
    {
        static string[] Cells(string row)
        {
            string r = row.Trim();
            if (r.StartsWith('|'))
            {
                r = r[1..];
            }
            if (r.EndsWith('|'))
            {
                r = r[..^1];
            }
            return r.Split('|').Select(c => c.Trim()).ToArray();
        }
        bool header = rows.Count > 1 && Cells(rows[1]).All(c => Separator().IsMatch(c));
        sb.Append("<table>\n");
        for (int r = 0; r < rows.Count; r++)
        {
            if (header && r == 1)
            {
                continue;
            }
            string cell = header && r == 0 ? "th" : "td";
            sb.Append("<tr>");
            foreach (var c in Cells(rows[r]))
            {
                sb.Append('<').Append(cell).Append('>').Append(Inline(c)).Append("</").Append(cell).Append('>');
            }
            sb.Append("</tr>\n");
        }
        sb.Append("</table>\n");
    }

    private static string Inline(string text)
    {
        string s = WebUtility.HtmlEncode(text);
        s = Code().Replace(s, "<code>$1</code>");
        return Bold().Replace(s, "<strong>$1</strong>");
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*#*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^[-*+]\s+(.*)$")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\d+[.)]\s+(.*)$")]
    private static partial Regex Numbered();

    [GeneratedRegex(@"^:?-{3,}:?$")]
    private static partial Regex Separator();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex Code();

    [GeneratedRegex(@"\*\*([^*<>]+)\*\*")]
    private static partial Regex Bold();
}

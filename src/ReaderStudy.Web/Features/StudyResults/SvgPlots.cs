using System.Globalization;
using System.Net;
using System.Text;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>Small, self-contained SVG plots for the results page and the single-file report.</summary>
public static class SvgPlots
{
    private const int Size = 320;
    private const int Margin = 44;

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Synthetic vs real with the identity line.</summary>
    public static string Scatter(string title, IReadOnlyList<(double X, double Y)> points, string xLabel, string yLabel)
    {
        var all = points.SelectMany(p => new[] { p.X, p.Y }).DefaultIfEmpty(0).ToList();
        var (low, high) = (Math.Floor(all.Min() - 2), Math.Ceiling(all.Max() + 2));
        return Frame(title, xLabel, yLabel, low, high, low, high, svg =>
        {
            svg.Append($"<line x1='{X(low, low, high)}' y1='{Y(low, low, high)}' x2='{X(high, low, high)}' y2='{Y(high, low, high)}' stroke='#999' stroke-dasharray='4 3'/>");
            foreach (var (x, y) in points)
            {
                svg.Append($"<circle cx='{X(x, low, high)}' cy='{Y(y, low, high)}' r='4' fill='#1d4e89' fill-opacity='0.8'><title>{F(x)}, {F(y)}</title></circle>");
            }
        });
    }

    /// <summary>Bland-Altman: difference against mean, with bias and 95 % limits.</summary>
    public static string BlandAltman(string title, IReadOnlyList<(double Mean, double Difference)> points, double bias, double lower, double upper)
    {
        var xs = points.Select(p => p.Mean).DefaultIfEmpty(0).ToList();
        var ys = points.Select(p => p.Difference).Append(lower).Append(upper).Append(0).ToList();
        var (xl, xh, yl, yh) = (Math.Floor(xs.Min() - 2), Math.Ceiling(xs.Max() + 2), Math.Floor(ys.Min() - 1), Math.Ceiling(ys.Max() + 1));
        return Frame(title, "mean of real and synthetic (ms)", "synthetic − real (ms)", xl, xh, yl, yh, svg =>
        {
            foreach (var (value, colour) in new[] { (bias, "#00798c"), (lower, "#b35c00"), (upper, "#b35c00") })
            {
                svg.Append($"<line x1='{X(xl, xl, xh)}' y1='{Y(value, yl, yh)}' x2='{X(xh, xl, xh)}' y2='{Y(value, yl, yh)}' stroke='{colour}' stroke-dasharray='5 3'/>");
            }
            foreach (var (mean, difference) in points)
            {
                svg.Append($"<circle cx='{X(mean, xl, xh)}' cy='{Y(difference, yl, yh)}' r='4' fill='#1d4e89' fill-opacity='0.8'><title>mean {F(mean)} ms, difference {F(difference)} ms</title></circle>");
            }
        });
    }

    /// <summary>Each reader's curve thin and light, the reader-averaged curve bold.</summary>
    public static string Roc(string title, IReadOnlyList<IReadOnlyList<(double Fpr, double Tpr)>> readers, IReadOnlyList<(double Fpr, double Tpr)> averaged) =>
        Frame(title, "false positive fraction", "true positive fraction", 0, 1, 0, 1, svg =>
        {
            svg.Append($"<line x1='{X(0, 0, 1)}' y1='{Y(0, 0, 1)}' x2='{X(1, 0, 1)}' y2='{Y(1, 0, 1)}' stroke='#999' stroke-dasharray='4 3'/>");
            foreach (var curve in readers)
            {
                svg.Append("<polyline fill='none' stroke='#4fc1d1' stroke-width='1' stroke-opacity='0.7' data-curve='reader' points='");
                svg.Append(string.Join(' ', curve.Select(p => $"{X(p.Fpr, 0, 1)},{Y(p.Tpr, 0, 1)}")));
                svg.Append("'/>");
            }
            svg.Append("<polyline fill='none' stroke='#1d4e89' stroke-width='2.5' data-curve='reader-averaged' points='");
            svg.Append(string.Join(' ', averaged.Select(p => $"{X(p.Fpr, 0, 1)},{Y(p.Tpr, 0, 1)}")));
            svg.Append("'/>");
        });

    /// <summary>Several named ROC curves (e.g. the reader-averaged curve of each map), with a legend.</summary>
    public static string Curves(string title, IReadOnlyList<(string Name, string Colour, IReadOnlyList<(double Fpr, double Tpr)> Curve)> curves) =>
        Frame(title, "false positive fraction", "true positive fraction", 0, 1, 0, 1, svg =>
        {
            svg.Append($"<line x1='{X(0, 0, 1)}' y1='{Y(0, 0, 1)}' x2='{X(1, 0, 1)}' y2='{Y(1, 0, 1)}' stroke='#999' stroke-dasharray='4 3'/>");
            for (var i = 0; i < curves.Count; i++)
            {
                var (name, colour, curve) = curves[i];
                svg.Append($"<polyline fill='none' stroke='{colour}' stroke-width='2.5' data-curve='{WebUtility.HtmlEncode(name)}' points='");
                svg.Append(string.Join(' ', curve.Select(p => $"{X(p.Fpr, 0, 1)},{Y(p.Tpr, 0, 1)}")));
                svg.Append("'/>");
                svg.Append($"<text x='{X(0.55, 0, 1)}' y='{Y(0.25 - 0.08 * i, 0, 1)}' font-size='11' fill='{colour}'>{WebUtility.HtmlEncode(name)}</text>");
            }
        });

    /// <summary>Grouped bars: for each category, one bar per series (e.g. real and synthetic), with the value on hover.</summary>
    public static string Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Colour, IReadOnlyList<double> Values)> series)
    {
        var all = series.SelectMany(s => s.Values).Where(double.IsFinite).DefaultIfEmpty(1).ToList();
        var (low, high) = (Math.Min(0, all.Min()), all.Max() * 1.1);
        return Frame(title, "", yLabel, 0, categories.Count, low, high, svg =>
        {
            var slot = (Size - 2.0 * Margin) / Math.Max(1, categories.Count);
            var width = slot * 0.8 / Math.Max(1, series.Count);
            for (var c = 0; c < categories.Count; c++)
            {
                for (var s = 0; s < series.Count; s++)
                {
                    var value = series[s].Values[c];
                    if (!double.IsFinite(value)) continue;
                    var x = Margin + c * slot + slot * 0.1 + s * width;
                    var (top, bottom) = (YPosition(value, low, high), YPosition(low, low, high));
                    svg.Append($"<rect x='{F(x)}' y='{F(top)}' width='{F(width)}' height='{F(bottom - top)}' fill='{series[s].Colour}'><title>{WebUtility.HtmlEncode(categories[c])}, {WebUtility.HtmlEncode(series[s].Name)}: {F(value)}</title></rect>");
                }
                svg.Append($"<text x='{F(Margin + c * slot + slot / 2)}' y='{Size - Margin + 14}' text-anchor='middle' font-size='9'>{WebUtility.HtmlEncode(categories[c].Length > 14 ? categories[c][..13] + "…" : categories[c])}</text>");
            }
            for (var s = 0; s < series.Count; s++)
            {
                svg.Append($"<rect x='{Size - Margin - 90}' y='{Margin + 6 + s * 14}' width='10' height='10' fill='{series[s].Colour}'/><text x='{Size - Margin - 76}' y='{Margin + 15 + s * 14}'>{WebUtility.HtmlEncode(series[s].Name)}</text>");
            }
        });
    }

    private static string X(double v, double low, double high) => F(Margin + (v - low) / (high - low) * (Size - 2 * Margin));

    private static string Y(double v, double low, double high) => F(YPosition(v, low, high));

    private static double YPosition(double v, double low, double high) => Size - Margin - (v - low) / (high - low) * (Size - 2 * Margin);

    private static string Frame(string title, string xLabel, string yLabel, double xl, double xh, double yl, double yh, Action<StringBuilder> body)
    {
        var svg = new StringBuilder($"<svg xmlns='http://www.w3.org/2000/svg' width='{Size}' height='{Size}' viewBox='0 0 {Size} {Size}' font-family='sans-serif' font-size='11'>");
        svg.Append($"<rect width='{Size}' height='{Size}' fill='white'/><text x='{Size / 2}' y='16' text-anchor='middle' font-weight='bold'>{WebUtility.HtmlEncode(title)}</text>");
        svg.Append($"<rect x='{Margin}' y='{Margin}' width='{Size - 2 * Margin}' height='{Size - 2 * Margin}' fill='none' stroke='#333'/>");
        svg.Append($"<text x='{Size / 2}' y='{Size - 8}' text-anchor='middle'>{WebUtility.HtmlEncode(xLabel)}</text>");
        svg.Append($"<text x='12' y='{Size / 2}' text-anchor='middle' transform='rotate(-90 12 {Size / 2})'>{WebUtility.HtmlEncode(yLabel)}</text>");
        if (xLabel.Length > 0)
        {
            svg.Append($"<text x='{Margin}' y='{Size - Margin + 14}' text-anchor='middle'>{F(xl)}</text><text x='{Size - Margin}' y='{Size - Margin + 14}' text-anchor='middle'>{F(xh)}</text>");
        }
        svg.Append($"<text x='{Margin - 4}' y='{Size - Margin}' text-anchor='end'>{F(yl)}</text><text x='{Margin - 4}' y='{Margin + 4}' text-anchor='end'>{F(yh)}</text>");
        body(svg);
        return svg.Append("</svg>").ToString();
    }
}

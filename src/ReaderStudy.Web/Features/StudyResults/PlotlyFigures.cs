using System.Text.Json.Nodes;

namespace ReaderStudy.Web.Features.StudyResults;

/// <summary>
/// The results plots as Plotly figures for the page: ticks on both axes, zoom and pan, and hover that names the
/// subject behind a point (a statistician's first question about an outlier). The same inputs as <see cref="SvgPlots"/>,
/// which draws the static copies for the report and the downloads.
/// </summary>
public static class PlotlyFigures
{
    private const string Real = "#1d4e89";
    private const string Grey = "#999999";
    private const int Width = 440;

    /// <summary>Synthetic vs real with the identity line; hover names each point's subject.</summary>
    public static JsonObject Scatter(string title, IReadOnlyList<(double X, double Y)> points, IReadOnlyList<string> labels, string xLabel, string yLabel)
    {
        var all = points.SelectMany(p => new[] { p.X, p.Y }).DefaultIfEmpty(0).ToList();
        var (low, high) = (Math.Floor(all.Min() - 2), Math.Ceiling(all.Max() + 2));
        return Figure(title, xLabel, yLabel,
            [
                Line("identity", [low, high], [low, high], Grey, dash: true),
                Markers("subjects", points, labels, $"%{{text}}<br>{xLabel}: %{{x:.2f}}<br>{yLabel}: %{{y:.2f}}<extra></extra>"),
            ],
            xRange: [low, high], yRange: [low, high]);
    }

    /// <summary>Difference against mean, with the bias and the 95 % limits of agreement drawn and labelled.</summary>
    public static JsonObject BlandAltman(string title, IReadOnlyList<(double Mean, double Difference)> points, IReadOnlyList<string> labels, double bias, double lower, double upper)
    {
        var xs = points.Select(p => p.Mean).DefaultIfEmpty(0).ToList();
        var (xl, xh) = (Math.Floor(xs.Min() - 2), Math.Ceiling(xs.Max() + 2));
        var figure = Figure(title, "mean of real and synthetic (ms)", "synthetic − real (ms)",
            [
                Line($"bias {bias:0.00}", [xl, xh], [bias, bias], "#00798c", dash: true),
                Line($"95 % limits {lower:0.00} to {upper:0.00}", [xl, xh], [lower, lower], "#b35c00", dash: true),
                Line("upper limit", [xl, xh], [upper, upper], "#b35c00", dash: true, inLegend: false),
                Markers("subjects", [.. points.Select(p => (p.Mean, p.Difference))], labels, "%{text}<br>mean %{x:.2f} ms<br>difference %{y:.2f} ms<extra></extra>"),
            ],
            xRange: [xl, xh]);
        return figure;
    }

    /// <summary>Each reader's ROC curve thin, the reader-averaged curve bold, the chance diagonal dashed.</summary>
    public static JsonObject Roc(string title, IReadOnlyList<IReadOnlyList<(double Fpr, double Tpr)>> readers, IReadOnlyList<(double Fpr, double Tpr)> averaged)
    {
        var traces = new List<JsonObject> { Line("chance", [0, 1], [0, 1], Grey, dash: true) };
        for (var r = 0; r < readers.Count; r++)
        {
            traces.Add(Curve($"reader {r + 1}", readers[r], "#4fc1d1", 1));
        }
        traces.Add(Curve("reader-averaged", averaged, Real, 3));
        return Figure(title, "false positive fraction", "true positive fraction", traces, xRange: [0, 1], yRange: [0, 1]);
    }

    /// <summary>Several named ROC curves (e.g. the reader-averaged curve of each map).</summary>
    public static JsonObject Curves(string title, IReadOnlyList<(string Name, string Colour, IReadOnlyList<(double Fpr, double Tpr)> Curve)> curves) =>
        Figure(title, "false positive fraction", "true positive fraction",
            [Line("chance", [0, 1], [0, 1], Grey, dash: true), .. curves.Select(c => Curve(c.Name, c.Curve, c.Colour, 3))], xRange: [0, 1], yRange: [0, 1]);

    /// <summary>Grouped bars: for each category, one bar per series (e.g. real and synthetic).</summary>
    public static JsonObject Bars(string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<(string Name, string Colour, IReadOnlyList<double> Values)> series)
    {
        var figure = Figure(title, "", yLabel, [.. series.Select(s => new JsonObject
        {
            ["type"] = "bar",
            ["name"] = s.Name,
            ["x"] = Array(categories.Select(c => (JsonNode?)Wrapped(c))),
            ["y"] = Numbers(s.Values),
            ["marker"] = new JsonObject { ["color"] = s.Colour },
            ["hovertemplate"] = $"%{{x}}<br>{s.Name}: %{{y:.2f}}<extra></extra>",
        })]);
        figure["layout"]!["barmode"] = "group";
        // Level labels, each on its own lines and in its own room: tilted ones ran into their neighbours.
        figure["layout"]!["xaxis"]!["tickangle"] = 0;
        figure["layout"]!["width"] = Math.Max(Width, 80 + 72 * categories.Count);
        return figure;
    }

    // A category name broken between words into lines of about 12 characters.
    private static string Wrapped(string label)
    {
        var lines = new List<string>();
        foreach (var word in label.Split(' '))
        {
            if (lines.Count > 0 && lines[^1].Length + 1 + word.Length <= 12)
            {
                lines[^1] += " " + word;
            }
            else
            {
                lines.Add(word);
            }
        }
        return string.Join("<br>", lines);
    }

    private static JsonObject Markers(string name, IReadOnlyList<(double X, double Y)> points, IReadOnlyList<string> labels, string hover) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "markers",
        ["name"] = name,
        ["x"] = Numbers(points.Select(p => p.X)),
        ["y"] = Numbers(points.Select(p => p.Y)),
        ["text"] = Array(labels.Select(l => (JsonNode?)l)),
        ["hovertemplate"] = hover,
        ["marker"] = new JsonObject { ["color"] = Real, ["size"] = 8, ["opacity"] = 0.8 },
    };

    private static JsonObject Curve(string name, IReadOnlyList<(double Fpr, double Tpr)> curve, string colour, double width) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "lines",
        ["name"] = name,
        ["x"] = Numbers(curve.Select(p => p.Fpr)),
        ["y"] = Numbers(curve.Select(p => p.Tpr)),
        ["line"] = new JsonObject { ["color"] = colour, ["width"] = width },
        ["hovertemplate"] = $"{name}<br>FPF %{{x:.2f}}, TPF %{{y:.2f}}<extra></extra>",
    };

    private static JsonObject Line(string name, double[] x, double[] y, string colour, bool dash, bool inLegend = true) => new()
    {
        ["type"] = "scatter",
        ["mode"] = "lines",
        ["name"] = name,
        ["x"] = Numbers(x),
        ["y"] = Numbers(y),
        ["line"] = new JsonObject { ["color"] = colour, ["width"] = 1.5, ["dash"] = dash ? "dash" : "solid" },
        ["hoverinfo"] = "skip",
        ["showlegend"] = inLegend,
    };

    private static JsonObject Figure(string title, string xLabel, string yLabel, IReadOnlyList<JsonObject> traces, double[]? xRange = null, double[]? yRange = null)
    {
        JsonObject Axis(string label, double[]? range) => new()
        {
            ["title"] = new JsonObject { ["text"] = label },
            ["ticks"] = "outside",
            ["showline"] = true,
            ["mirror"] = true,
            ["zeroline"] = false,
            ["automargin"] = true,
            ["range"] = range is null ? null : Numbers(range),
        };
        return new JsonObject
        {
            ["data"] = new JsonArray([.. traces]),
            ["layout"] = new JsonObject
            {
                ["title"] = new JsonObject { ["text"] = title, ["font"] = new JsonObject { ["size"] = 13 }, ["y"] = 0.98, ["yanchor"] = "top" },
                ["width"] = Width,
                ["height"] = 440,
                ["margin"] = new JsonObject { ["l"] = 60, ["r"] = 20, ["t"] = 90, ["b"] = 50 },
                ["font"] = new JsonObject { ["family"] = "sans-serif", ["size"] = 11 },
                ["hovermode"] = "closest",
                // Between the title and the plot: it covers no point or curve, and no axis label however long.
                ["legend"] = new JsonObject { ["orientation"] = "h", ["x"] = 0, ["xanchor"] = "left", ["y"] = 1.02, ["yanchor"] = "bottom" },
                ["xaxis"] = Axis(xLabel, xRange),
                ["yaxis"] = Axis(yLabel, yRange),
            },
            ["fileName"] = string.Concat(title.Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')).Trim('-'),
        };
    }

    private static JsonArray Numbers(IEnumerable<double> values) => Array(values.Select(v => double.IsFinite(v) ? (JsonNode?)JsonValue.Create(Math.Round(v, 6)) : null));

    private static JsonArray Array(IEnumerable<JsonNode?> nodes) => new([.. nodes]);
}

/// <summary>One results plot: the static SVG (report, downloads) and the Plotly figure (the page).</summary>
public sealed record ResultsFigure(string Svg, JsonObject Plotly);

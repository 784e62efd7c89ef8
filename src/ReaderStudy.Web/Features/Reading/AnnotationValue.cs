using System.Text.Json;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// An annotation answer: a point in the image (slice, column, row) with the mean value within <see cref="Radius"/>
/// pixels of it; or an ellipse the reader drew (centre, radii in columns and rows) with the mean, SD, voxel count and
/// area of what lies inside. Values are in the image's units (ms for T2 maps), read from what the reader was served.
/// </summary>
public sealed record AnnotationValue(int Slice, int Column, int Row, int Radius, double MeanT2, string Shape = AnnotationValue.Point,
    int? RadiusRows = null, double? Sd = null, int? Voxels = null, double? AreaMm2 = null, int[][]? Points = null, double? LengthMm = null)
{
    public const string Point = "point";
    public const string Ellipse = "ellipse";
    /// <summary>A freehand outline: <see cref="Points"/> are its vertices (column, row); the statistics are of the voxels inside.</summary>
    public const string Polygon = "polygon";
    /// <summary>A length: <see cref="Points"/> are its two ends; <see cref="MeanT2"/> is the mean of the values along it.</summary>
    public const string Length = "length";

    // Records compare arrays by reference; two answers with the same outline are the same answer.
    public bool Equals(AnnotationValue? other) => other is not null && ToJson() == other.ToJson();

    public override int GetHashCode() => ToJson().GetHashCode(StringComparison.Ordinal);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static bool TryParse(string text, out AnnotationValue? value)
    {
        try
        {
            value = JsonSerializer.Deserialize<AnnotationValue>(text, Json);
            return value is { Slice: >= 0, Column: >= 0, Row: >= 0, Radius: > 0 } && double.IsFinite(value.MeanT2)
                && (value.Shape == Point || value is { Shape: Ellipse, RadiusRows: > 0, Voxels: > 0 }
                    || value is { Shape: Polygon, Voxels: > 0, Points.Length: >= 3 and <= MaxPoints } && value.Points.All(p => p.Length == 2)
                    || value is { Shape: Length, LengthMm: >= 0, Points: [{ Length: 2 }, { Length: 2 }] });
        }
        catch (JsonException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>The mean over the disc of <paramref name="radius"/> pixels around (column, row) in one slice of values.</summary>
    public static double MeanAround(float[] slice, int rows, int columns, int column, int row, int radius)
    {
        double sum = 0;
        var count = 0;
        for (var r = Math.Max(0, row - radius); r <= Math.Min(rows - 1, row + radius); r++)
        {
            for (var c = Math.Max(0, column - radius); c <= Math.Min(columns - 1, column + radius); c++)
            {
                if ((r - row) * (r - row) + (c - column) * (c - column) <= radius * radius)
                {
                    sum += slice[r * columns + c];
                    count++;
                }
            }
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>The statistics of the voxels inside the ellipse centred on (column, row) with the given radii, in one slice.</summary>
    public static AnnotationValue? InEllipse(float[] slice, int rows, int columns, int sliceIndex, int column, int row, int radiusColumns, int radiusRows,
        double rowSpacing, double columnSpacing)
    {
        var inside = new List<double>();
        for (var r = Math.Max(0, row - radiusRows); r <= Math.Min(rows - 1, row + radiusRows); r++)
        {
            for (var c = Math.Max(0, column - radiusColumns); c <= Math.Min(columns - 1, column + radiusColumns); c++)
            {
                var (dc, dr) = ((double)(c - column) / radiusColumns, (double)(r - row) / radiusRows);
                if (dc * dc + dr * dr <= 1 && float.IsFinite(slice[r * columns + c]))
                {
                    inside.Add(slice[r * columns + c]);
                }
            }
        }
        if (inside.Count == 0)
        {
            return null;
        }
        var (mean, sd) = MeanAndSd(inside);
        return new AnnotationValue(sliceIndex, column, row, radiusColumns, Math.Round(mean, 2), Ellipse, radiusRows, Math.Round(sd, 2), inside.Count,
            Math.Round(inside.Count * rowSpacing * columnSpacing, 2));
    }

    /// <summary>The most vertices a freehand outline keeps (the browser thins longer ones).</summary>
    public const int MaxPoints = 500;

    /// <summary>The statistics of the voxels whose centres lie inside the outline (even-odd rule), in one slice.</summary>
    public static AnnotationValue? InPolygon(float[] slice, int rows, int columns, int sliceIndex, int[][] points, double rowSpacing, double columnSpacing)
    {
        if (points.Length < 3 || points.Length > MaxPoints || points.Any(p => p.Length != 2))
        {
            return null;
        }
        var inside = new List<double>();
        var (minRow, maxRow) = (Math.Max(0, points.Min(p => p[1])), Math.Min(rows - 1, points.Max(p => p[1])));
        var (minColumn, maxColumn) = (Math.Max(0, points.Min(p => p[0])), Math.Min(columns - 1, points.Max(p => p[0])));
        for (var r = minRow; r <= maxRow; r++)
        {
            for (var c = minColumn; c <= maxColumn; c++)
            {
                if (Encloses(points, c, r) && float.IsFinite(slice[r * columns + c]))
                {
                    inside.Add(slice[r * columns + c]);
                }
            }
        }
        if (inside.Count == 0)
        {
            return null;
        }
        var (mean, sd) = MeanAndSd(inside);
        return new AnnotationValue(sliceIndex, (int)Math.Round(points.Average(p => p[0])), (int)Math.Round(points.Average(p => p[1])), 1, Math.Round(mean, 2), Polygon,
            Sd: Math.Round(sd, 2), Voxels: inside.Count, AreaMm2: Math.Round(inside.Count * rowSpacing * columnSpacing, 2), Points: points);
    }

    /// <summary>The length between two points in mm, with the mean of the values sampled along it (one sample per pixel of length).</summary>
    public static AnnotationValue? Along(float[] slice, int rows, int columns, int sliceIndex, int[][] points, double rowSpacing, double columnSpacing)
    {
        if (points is not [[var c0, var r0], [var c1, var r1]] || new[] { c0, c1 }.Any(c => c < 0 || c >= columns) || new[] { r0, r1 }.Any(r => r < 0 || r >= rows))
        {
            return null;
        }
        var steps = Math.Max(Math.Abs(c1 - c0), Math.Abs(r1 - r0));
        var samples = Enumerable.Range(0, steps + 1)
            .Select(i => steps == 0 ? (c0, r0) : ((int)Math.Round(c0 + (c1 - c0) * (double)i / steps), (int)Math.Round(r0 + (r1 - r0) * (double)i / steps)))
            .Select(p => (double)slice[p.Item2 * columns + p.Item1]).Where(double.IsFinite).ToList();
        var length = Math.Sqrt(Math.Pow((c1 - c0) * columnSpacing, 2) + Math.Pow((r1 - r0) * rowSpacing, 2));
        return new AnnotationValue(sliceIndex, c0, r0, 1, samples.Count == 0 ? 0 : Math.Round(samples.Average(), 2), Length, Points: points, LengthMm: Math.Round(length, 2));
    }

    private static bool Encloses(int[][] polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var (xi, yi, xj, yj) = (polygon[i][0], polygon[i][1], polygon[j][0], polygon[j][1]);
            if ((yi > y) != (yj > y) && x < (double)(xj - xi) * (y - yi) / (yj - yi) + xi)
            {
                inside = !inside;
            }
        }
        return inside;
    }

    private static (double Mean, double Sd) MeanAndSd(List<double> values)
    {
        var mean = values.Average();
        return (mean, values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0);
    }
}

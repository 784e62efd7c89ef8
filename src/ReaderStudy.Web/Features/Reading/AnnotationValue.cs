using System.Text.Json;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// An annotation answer: a point in the image (slice, column, row) with the mean value within <see cref="Radius"/>
/// pixels of it; or an ellipse the reader drew (centre, radii in columns and rows) with the mean, SD, voxel count and
/// area of what lies inside. Values are in the image's units (ms for T2 maps), read from what the reader was served.
/// </summary>
public sealed record AnnotationValue(int Slice, int Column, int Row, int Radius, double MeanT2, string Shape = AnnotationValue.Point,
    int? RadiusRows = null, double? Sd = null, int? Voxels = null, double? AreaMm2 = null)
{
    public const string Point = "point";
    public const string Ellipse = "ellipse";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static bool TryParse(string text, out AnnotationValue? value)
    {
        try
        {
            value = JsonSerializer.Deserialize<AnnotationValue>(text, Json);
            return value is { Slice: >= 0, Column: >= 0, Row: >= 0, Radius: > 0 } && double.IsFinite(value.MeanT2)
                && (value.Shape == Point || value is { Shape: Ellipse, RadiusRows: > 0, Voxels: > 0 });
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
        var mean = inside.Average();
        var sd = inside.Count > 1 ? Math.Sqrt(inside.Sum(v => (v - mean) * (v - mean)) / (inside.Count - 1)) : 0;
        return new AnnotationValue(sliceIndex, column, row, radiusColumns, Math.Round(mean, 2), Ellipse, radiusRows, Math.Round(sd, 2), inside.Count,
            Math.Round(inside.Count * rowSpacing * columnSpacing, 2));
    }
}

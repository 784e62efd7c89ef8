using System.Text.Json;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>An annotation answer: a point in the image (slice, column, row), the radius around it, and the mean T2 there, ms.</summary>
public sealed record AnnotationValue(int Slice, int Column, int Row, int Radius, double MeanT2)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static bool TryParse(string text, out AnnotationValue? value)
    {
        try
        {
            value = JsonSerializer.Deserialize<AnnotationValue>(text, Json);
            return value is { Slice: >= 0, Column: >= 0, Row: >= 0, Radius: > 0 } && double.IsFinite(value.MeanT2);
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
}

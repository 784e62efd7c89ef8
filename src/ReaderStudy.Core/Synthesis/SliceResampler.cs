namespace ReaderStudy.Core.Synthesis;

/// <summary>Bilinear resize of one slice between the scanner's grid and a generator's fixed grid (pixel centres aligned).</summary>
public static class SliceResampler
{
    public static void Resize(ReadOnlySpan<float> source, int sourceRows, int sourceColumns, Span<float> target, int rows, int columns)
    {
        if (sourceRows == rows && sourceColumns == columns)
        {
            source.CopyTo(target);
            return;
        }
        var (rowStep, columnStep) = ((double)sourceRows / rows, (double)sourceColumns / columns);
        for (var r = 0; r < rows; r++)
        {
            var y = Math.Clamp((r + 0.5) * rowStep - 0.5, 0, sourceRows - 1);
            var (y0, fy) = ((int)y, (float)(y - (int)y));
            var y1 = Math.Min(y0 + 1, sourceRows - 1);
            for (var c = 0; c < columns; c++)
            {
                var x = Math.Clamp((c + 0.5) * columnStep - 0.5, 0, sourceColumns - 1);
                var (x0, fx) = ((int)x, (float)(x - (int)x));
                var x1 = Math.Min(x0 + 1, sourceColumns - 1);
                var top = source[y0 * sourceColumns + x0] * (1 - fx) + source[y0 * sourceColumns + x1] * fx;
                var bottom = source[y1 * sourceColumns + x0] * (1 - fx) + source[y1 * sourceColumns + x1] * fx;
                target[r * columns + c] = top * (1 - fy) + bottom * fy;
            }
        }
    }
}

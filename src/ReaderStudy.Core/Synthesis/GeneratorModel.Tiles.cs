namespace ReaderStudy.Core.Synthesis;

/// <summary>Tiled inference: slices cut into overlapping model-sized tiles, batched across slices, and blended back.</summary>
public sealed partial class GeneratorModel
{
    private float[] GenerateTiled(IReadOnlyList<float[]> channels, int slices, int rows, int columns, int overlap, IProgress<int>? slicesDone,
        Action<int>? slicesNeeded)
    {
        var (height, width) = (Manifest.Height!.Value, Manifest.Width!.Value);
        var (tops, lefts) = (TileStarts(rows, height, overlap), TileStarts(columns, width, overlap));
        var tilesPerSlice = tops.Length * lefts.Length;
        var tiles = slices * tilesPerSlice;
        var (sliceSize, planeSize) = (rows * columns, height * width);
        var weights = TileWeights(height, width, overlap);
        var result = new float[slices * sliceSize];
        var weightSums = new float[slices * sliceSize];
        var (outScale, outOffset) = ((float)Manifest.OutputScaleMs, (float)Manifest.OutputOffsetMs);
        (int Slice, int Top, int Left) Tile(int tile) =>
            (tile / tilesPerSlice, tops[tile % tilesPerSlice / lefts.Length], lefts[tile % lefts.Length]);

        RunInBatches(tiles, channels.Count, height, width,
            fill: (first, count, input) =>
            {
                slicesNeeded?.Invoke(Tile(first + count - 1).Slice + 1);
                for (var b = 0; b < count; b++)
                {
                    var (slice, top, left) = Tile(first + b);
                    for (var c = 0; c < channels.Count; c++)
                    {
                        var target = input.AsSpan((b * channels.Count + c) * planeSize, planeSize);
                        var source = channels[c].AsSpan(slice * sliceSize, sliceSize);
                        var (mean, scale) = ((float)Manifest.Channels[c].Mean, (float)Manifest.Channels[c].Scale);
                        for (var y = 0; y < height; y++)
                        {
                            for (var x = 0; x < width; x++)
                            {
                                // A slice smaller than a tile is padded with zero signal, as the background around the knee.
                                var (row, column) = (top + y, left + x);
                                var value = row < rows && column < columns ? source[row * columns + column] : 0f;
                                target[y * width + x] = (value - mean) / scale;
                            }
                        }
                    }
                }
            },
            unpack: (first, count, output) =>
            {
                for (var b = 0; b < count; b++)
                {
                    var (slice, top, left) = Tile(first + b);
                    var plane = output.AsSpan(b * planeSize, planeSize);
                    for (var y = 0; y < height && top + y < rows; y++)
                    {
                        for (var x = 0; x < width && left + x < columns; x++)
                        {
                            var (index, weight) = (slice * sliceSize + (top + y) * columns + left + x, weights[y * width + x]);
                            result[index] += (plane[y * width + x] * outScale + outOffset) * weight;
                            weightSums[index] += weight;
                        }
                    }
                }
            },
            done: n => slicesDone?.Report(n / tilesPerSlice));
        for (var i = 0; i < result.Length; i++)
        {
            result[i] /= weightSums[i];
        }
        return result;
    }

    /// <summary>Where tiles start along one axis: a stride of tile − overlap, the last one flush with the end.</summary>
    public static int[] TileStarts(int length, int tile, int overlap)
    {
        if (length <= tile)
        {
            return [0];
        }
        var starts = new List<int>();
        for (var start = 0; start + tile < length; start += tile - overlap)
        {
            starts.Add(start);
        }
        starts.Add(length - tile);
        return [.. starts.Distinct()];
    }

    /// <summary>1 inside, falling linearly towards each edge across the overlap; never 0, so every pixel has a weight.</summary>
    private static float[] TileWeights(int height, int width, int overlap)
    {
        float Ramp(int i, int n) => Math.Min(1f, (Math.Min(i, n - 1 - i) + 1f) / (overlap + 1f));
        var weights = new float[height * width];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                weights[y * width + x] = Ramp(y, height) * Ramp(x, width);
            }
        }
        return weights;
    }
}

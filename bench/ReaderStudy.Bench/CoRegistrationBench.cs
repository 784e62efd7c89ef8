using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Synthesis;

namespace ReaderStudy.Bench;

/// <summary>
/// Co-registering three 256×256×32 inputs onto a map's grid batch by batch, as synthesis does while the model runs: the
/// synthesis bench's grid (0.9 the pixel size, shifted 2 mm in plane) and one that also tilts and re-slices (every voxel
/// between two source slices), so both the in-plane and the general path are timed.
/// </summary>
internal static class CoRegistrationBench
{
    private const int Size = 256, Slices = 32, Batch = 8, Channels = 3;

    public static void Run()
    {
        var source = VolumeGeometry.Sagittal(Size, Slices, 0.5, 3.0);
        var inPlane = source with
        {
            ColumnSpacing = 0.9 * source.ColumnSpacing, RowSpacing = 0.9 * source.RowSpacing,
            Origin = [.. source.Origin.Zip(source.RowDirection, (o, r) => o + 2 * r)],
        };
        var angle = 5 * Math.PI / 180;
        var tilted = inPlane with
        {
            SliceSpacing = 2.5,
            RowDirection = [0, Math.Cos(angle), Math.Sin(angle)],
            ColumnDirection = [0, Math.Sin(angle), -Math.Cos(angle)],
            Origin = [.. inPlane.Origin.Select((o, i) => i == 0 ? o + 1.3 : o)],
        };
        var random = new Random(3);
        float[][] inputs = [.. Enumerable.Range(0, Channels).Select(_ => Enumerable.Range(0, Size * Size * Slices).Select(_ => (float)random.NextDouble() * 1000).ToArray())];
        Console.WriteLine("| what | median wall | CPU | detail |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var (name, target) in new[] { ("in plane (the synthesis bench's grid)", inPlane), ("tilted 5° and re-sliced", tilted) })
        {
            var mapping = new GridMapping(source, target);
            float[][] outputs = [.. Enumerable.Range(0, Channels).Select(_ => new float[target.Columns * target.Rows * target.Slices])];
            var (wall, cpu) = Measure.WallAndCpu(15, () =>
            {
                for (var from = 0; from < target.Slices; from += Batch)
                {
                    mapping.Resample(inputs, outputs, from, Math.Min(from + Batch, target.Slices));
                }
            });
            var voxels = (double)target.Columns * target.Rows * target.Slices;
            Console.WriteLine($"| co-register {Channels} inputs of {Size}x{Size}x{Slices}, {name} | {wall:F4} s | {cpu:F4} s | {voxels * Channels / cpu / 1e6:F1} M values per CPU second |");
        }
    }
}

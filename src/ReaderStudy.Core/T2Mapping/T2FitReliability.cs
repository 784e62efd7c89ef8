using System.IO.Compression;

namespace ReaderStudy.Core.T2Mapping;

/// <summary>
/// Which voxels of a fitted T2 map were fitted reliably, kept beside the map's series: the map itself stores 0 ms both
/// for background and for an unreliable fit, so only this tells them apart, for the coordinator's overlay. Never
/// served to readers: only real maps have one, so it would tell the real map from the synthetic.
/// </summary>
public sealed class T2FitReliability
{
    /// <summary>The fitted T2 map's series.</summary>
    public Guid SeriesId { get; set; }
    public int Rows { get; set; }
    public int Columns { get; set; }
    public int Slices { get; set; }
    public int Unreliable { get; set; }
    public int NotFitted { get; set; }
    /// <summary>One <see cref="VoxelFit"/> byte per voxel, slices in the order the map is shown (ascending slice position), zlib-compressed.</summary>
    public byte[] Voxels { get; set; } = [];

    /// <param name="slicePositions">Each slice's position along the normal, in the order of the fit's voxels.</param>
    public static T2FitReliability Of(Guid seriesId, T2Maps maps, int rows, int columns, IReadOnlyList<double> slicePositions)
    {
        var fits = maps.VoxelFits();
        var length = rows * columns;
        using var packed = new MemoryStream();
        using (var zlib = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var slice in Enumerable.Range(0, slicePositions.Count).OrderBy(i => slicePositions[i]))
            {
                zlib.Write(fits, slice * length, length);
            }
        }
        return new T2FitReliability
        {
            SeriesId = seriesId,
            Rows = rows,
            Columns = columns,
            Slices = slicePositions.Count,
            Unreliable = fits.Count(f => f == (byte)VoxelFit.Unreliable),
            NotFitted = fits.Count(f => f == (byte)VoxelFit.NotFitted),
            Voxels = packed.ToArray(),
        };
    }

    /// <summary>Slice <paramref name="index"/> (in the order shown), one <see cref="VoxelFit"/> byte per voxel; null outside the map.</summary>
    public byte[]? Slice(int index)
    {
        if (index < 0 || index >= Slices)
        {
            return null;
        }
        var length = Rows * Columns;
        using var zlib = new ZLibStream(new MemoryStream(Voxels), CompressionMode.Decompress);
        var skip = new byte[length];
        for (var s = 0; s < index; s++)
        {
            zlib.ReadExactly(skip);
        }
        var slice = new byte[length];
        zlib.ReadExactly(slice);
        return slice;
    }
}

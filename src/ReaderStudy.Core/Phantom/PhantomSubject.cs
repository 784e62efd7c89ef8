namespace ReaderStudy.Core.Phantom;

/// <summary>
/// One synthetic knee: its anatomy, its ground truth and its "acquired" images. Volumes are stored
/// slice by slice, row by row (index = (slice·Rows + row)·Columns + column).
/// </summary>
public sealed class PhantomSubject
{
    public required int Index { get; init; }
    public required string Pseudonym { get; init; }
    public required KneePhantomOptions Options { get; init; }
    public required Tissue[] Labels { get; init; }
    /// <summary>Bit (segment number − 1) set where the voxel belongs to that <see cref="CartilageRegion"/>.</summary>
    public required ushort[] Regions { get; init; }
    /// <summary>The true T2 of every tissue voxel, ms (0 outside the knee).</summary>
    public required float[] TrueT2 { get; init; }
    /// <summary>Anatomic series by name: "DESS", "IW TSE", "T1".</summary>
    public required IReadOnlyDictionary<string, float[]> Anatomic { get; init; }
    /// <summary>The MESE echo train, one volume per echo time of <see cref="KneePhantomOptions.EchoTimesMs"/>.</summary>
    public required IReadOnlyList<float[]> Echoes { get; init; }

    public int VoxelCount => Labels.Length;

    public bool InRegion(int voxel, CartilageRegion region) => (Regions[voxel] & (1 << (region.Number - 1))) != 0;

    /// <summary>The true mean T2 of each region, ms, and its voxel count.</summary>
    public IReadOnlyList<(CartilageRegion Region, int Voxels, double MeanT2)> RegionTruth() =>
    [
        .. CartilageRegion.All.Select(region =>
        {
            double sum = 0;
            var count = 0;
            for (var v = 0; v < VoxelCount; v++)
            {
                if (InRegion(v, region))
                {
                    sum += TrueT2[v];
                    count++;
                }
            }
            return (region, count, count == 0 ? double.NaN : sum / count);
        }),
    ];
}

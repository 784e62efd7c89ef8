namespace ReaderStudy.Core.Phantom;

/// <summary>
/// One synthetic pelvis: its tissues, its ground truth (true CT density, whether it has an erosion) and its
/// "acquired" T1-weighted MR and CT. Volumes are stored slice by slice, row by row.
/// </summary>
public sealed class PelvisSubject
{
    public required int Index { get; init; }
    public required string Pseudonym { get; init; }
    public required PelvisPhantomOptions Options { get; init; }
    public required PelvisTissue[] Labels { get; init; }
    /// <summary>The noise-free CT, HU.</summary>
    public required float[] TrueHounsfield { get; init; }
    /// <summary>The acquired CT (with noise, whole HU).</summary>
    public required float[] Ct { get; init; }
    /// <summary>The acquired T1-weighted MR (Rician noise, whole numbers).</summary>
    public required float[] T1 { get; init; }
    /// <summary>Whether the subject has an erosion (the reference standard of a diagnostic reading).</summary>
    public required bool HasErosion { get; init; }
    /// <summary>"left" or "right" where <see cref="HasErosion"/>, else "".</summary>
    public required string ErosionSide { get; init; }

    public int VoxelCount => Labels.Length;

    /// <summary>The segments of the phantom's segmentation: number, label, and the tissues each covers.</summary>
    public static readonly IReadOnlyList<(int Number, string Label, PelvisTissue[] Tissues)> Segments =
    [
        (1, "Bone", [PelvisTissue.CorticalBone, PelvisTissue.Marrow, PelvisTissue.Erosion]),
        (2, "Sacroiliac joint", [PelvisTissue.Joint]),
        (3, "Muscle", [PelvisTissue.Muscle]),
        (4, "Fat", [PelvisTissue.Fat]),
    ];

    public bool[] SegmentMask(int number)
    {
        var tissues = Segments.Single(s => s.Number == number).Tissues;
        return [.. Labels.Select(t => tissues.Contains(t))];
    }

    /// <summary>The true mean density of each segment, HU, and its voxel count.</summary>
    public IReadOnlyList<(int Number, string Label, int Voxels, double MeanHu)> SegmentTruth() =>
    [
        .. Segments.Select(segment =>
        {
            var mask = SegmentMask(segment.Number);
            var values = TrueHounsfield.Where((_, v) => mask[v]).ToList();
            return (segment.Number, segment.Label, values.Count, values.Count == 0 ? double.NaN : values.Average(v => (double)v));
        }),
    ];
}

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Where a volume's voxels lie in patient space (DICOM LPS, mm). Voxel (column, row, slice) sits at
/// Origin + column·ColumnSpacing·RowDirection + row·RowSpacing·ColumnDirection + slice·SliceSpacing·Normal.
/// </summary>
public sealed record VolumeGeometry(
    int Columns, int Rows, int Slices,
    double ColumnSpacing, double RowSpacing, double SliceSpacing,
    double[] Origin, double[] RowDirection, double[] ColumnDirection)
{
    public double[] Normal => NormalOf(RowDirection, ColumnDirection);

    /// <summary>The slice normal of a plane with these row and column directions (their cross product).</summary>
    public static double[] NormalOf(IReadOnlyList<double> row, IReadOnlyList<double> column) =>
    [
        row[1] * column[2] - row[2] * column[1],
        row[2] * column[0] - row[0] * column[2],
        row[0] * column[1] - row[1] * column[0],
    ];

    public double[] SliceOrigin(int slice)
    {
        var n = Normal;
        return [.. Enumerable.Range(0, 3).Select(i => Origin[i] + slice * SliceSpacing * n[i])];
    }

    /// <summary>A sagittal knee volume as scanners acquire it: rows run anterior to posterior, columns head to foot.</summary>
    public static VolumeGeometry Sagittal(int size, int slices, double inPlaneMm, double sliceMm) =>
        new(size, size, slices, inPlaneMm, inPlaneMm, sliceMm,
            [-slices * sliceMm / 2, -size * inPlaneMm / 2, size * inPlaneMm / 2], [0, 1, 0], [0, 0, -1]);

    /// <summary>An axial volume: rows run right to left of the patient, columns anterior to posterior, slices foot to head.</summary>
    public static VolumeGeometry Axial(int size, int slices, double inPlaneMm, double sliceMm) =>
        new(size, size, slices, inPlaneMm, inPlaneMm, sliceMm,
            [-size * inPlaneMm / 2, -size * inPlaneMm / 2, -slices * sliceMm / 2], [1, 0, 0], [0, 1, 0]);

    /// <summary>One projection image (a mammogram, a radiograph): a single plane of <paramref name="rows"/> × <paramref name="columns"/> detector pixels.</summary>
    public static VolumeGeometry Projection(int rows, int columns, double pixelMm) =>
        new(columns, rows, 1, pixelMm, pixelMm, 1, [0, 0, 0], [1, 0, 0], [0, 1, 0]);
}

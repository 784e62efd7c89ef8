using System.Globalization;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Nifti;

/// <summary>
/// Between DICOM volumes (patient LPS, voxel (column, row, slice)) and NIfTI (world RAS+, voxel (i, j, k)): the same
/// point has x and y negated. Converters (dcm2niix, nibabel) may flip or permute axes; the affine says how, so a NIfTI
/// image is put on a DICOM grid by the voxel correspondence the two transforms give, never by assuming an order.
/// </summary>
public static class NiftiGeometry
{
    /// <summary>The NIfTI affine of a DICOM volume stored with i = column, j = row, k = slice (its own voxel order).</summary>
    public static double[,] AffineOf(VolumeGeometry g)
    {
        var n = g.Normal;
        double[][] columns =
        [
            [.. g.RowDirection.Select(v => v * g.ColumnSpacing)],
            [.. g.ColumnDirection.Select(v => v * g.RowSpacing)],
            [.. n.Select(v => v * g.SliceSpacing)],
            g.Origin,
        ];
        var affine = new double[4, 4];
        for (var c = 0; c < 4; c++)
        {
            for (var r = 0; r < 3; r++)
            {
                affine[r, c] = (r < 2 ? -1 : 1) * columns[c][r];
            }
        }
        affine[3, 3] = 1;
        return affine;
    }

    /// <summary>
    /// The 3-D NIfTI volume <paramref name="t"/> of <paramref name="nifti"/> in the voxel order of <paramref name="grid"/>,
    /// when both describe the same voxels (up to flips and axis order, within <paramref name="toleranceMm"/>); otherwise
    /// a <see cref="NiftiException"/> that names both grids.
    /// </summary>
    public static float[] OnDicomGrid(NiftiVolume nifti, int t, VolumeGeometry grid, string gridName, double toleranceMm = 0.5) =>
        OnGrid(nifti, t, AffineOf(grid), [grid.Columns, grid.Rows, grid.Slices], gridName, toleranceMm);

    /// <summary>The same for any target grid given by its affine (RAS+) and size, e.g. another NIfTI image's.</summary>
    public static float[] OnGrid(NiftiVolume nifti, int t, double[,] dicom, int[] target, string gridName, double toleranceMm = 0.5)
    {
        // Voxel (i, j, k) of the NIfTI image → (column, row, slice) of the target grid: inverse(target) · NIfTI.
        var toGrid = Multiply(Invert(dicom), nifti.Affine);
        int[] size = [nifti.Nx, nifti.Ny, nifti.Nz];
        var axis = new int[3];
        var sign = new int[3];
        var offset = new int[3];
        for (var row = 0; row < 3; row++)
        {
            // Each DICOM axis must move with exactly one NIfTI axis, one voxel per voxel.
            var col = Enumerable.Range(0, 3).MaxBy(c => Math.Abs(toGrid[row, c]));
            axis[row] = col;
            sign[row] = Math.Sign(toGrid[row, col]);
            offset[row] = (int)Math.Round(toGrid[row, 3]);
        }
        var misfit = MisfitMm(nifti, dicom, toGrid, axis, sign, offset, size);
        // Same spacing and size but moved by whole voxels (a slice off) is a different grid too: every voxel must land inside.
        var inside = axis.Distinct().Count() == 3 && Enumerable.Range(0, 3).All(r =>
            offset[r] + sign[r] * 0 is var a && offset[r] + sign[r] * (size[axis[r]] - 1) is var b && Math.Min(a, b) >= 0 && Math.Max(a, b) <= target[r] - 1);
        if (!inside || misfit > toleranceMm || Enumerable.Range(0, 3).Any(r => size[axis[r]] != target[r]))
        {
            throw new NiftiException($"{nifti.Path}: its grid ({nifti.Grid} voxels, {Describe(nifti.Affine)}) does not lie on {gridName} "
                + $"({string.Join("×", target)} voxels, {Describe(dicom)})"
                + (misfit > toleranceMm ? $"; voxels differ by up to {misfit.ToString("0.##", CultureInfo.InvariantCulture)} mm (tolerance {toleranceMm} mm)."
                    : !inside ? "; it covers voxels outside that grid (moved by whole voxels, or its axes do not match)." : "; the sizes differ."));
        }
        var source = nifti.Volume(t);
        var values = new float[source.Length];
        for (var k = 0; k < nifti.Nz; k++)
        {
            for (var j = 0; j < nifti.Ny; j++)
            {
                for (var i = 0; i < nifti.Nx; i++)
                {
                    int[] ijk = [i, j, k];
                    var (c, r, s) = (offset[0] + sign[0] * ijk[axis[0]], offset[1] + sign[1] * ijk[axis[1]], offset[2] + sign[2] * ijk[axis[2]]);
                    values[(s * target[1] + r) * target[0] + c] = source[(k * nifti.Ny + j) * nifti.Nx + i];
                }
            }
        }
        return values;
    }

    // How far (mm) the NIfTI voxels at the image's corners lie from the DICOM voxels they are put on.
    private static double MisfitMm(NiftiVolume nifti, double[,] dicom, double[,] toGrid, int[] axis, int[] sign, int[] offset, int[] size)
    {
        var worst = 0.0;
        foreach (var corner in Enumerable.Range(0, 8))
        {
            double[] ijk = [(corner & 1) * (size[0] - 1), ((corner >> 1) & 1) * (size[1] - 1), ((corner >> 2) & 1) * (size[2] - 1), 1];
            double[] crs = [.. Enumerable.Range(0, 3).Select(r => offset[r] + sign[r] * ijk[axis[r]]), 1];
            var a = Apply(nifti.Affine, ijk);
            var b = Apply(dicom, crs);
            worst = Math.Max(worst, Math.Sqrt(Enumerable.Range(0, 3).Sum(i => (a[i] - b[i]) * (a[i] - b[i]))));
        }
        return worst;
    }

    private static string Describe(double[,] affine)
    {
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        var spacing = Enumerable.Range(0, 3).Select(c => Math.Sqrt(Enumerable.Range(0, 3).Sum(r => affine[r, c] * affine[r, c])));
        return $"first voxel at RAS ({F(affine[0, 3])}, {F(affine[1, 3])}, {F(affine[2, 3])}) mm, spacing {string.Join("×", spacing.Select(F))} mm";
    }

    private static double[] Apply(double[,] m, double[] v) => [.. Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 4).Sum(c => m[r, c] * v[c]))];

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var m = new double[4, 4];
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                m[r, c] = Enumerable.Range(0, 4).Sum(k => a[r, k] * b[k, c]);
            }
        }
        return m;
    }

    private static double[,] Invert(double[,] m)
    {
        var inverse = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfArray(m).Inverse();
        return inverse.ToArray();
    }
}

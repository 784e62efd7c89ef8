namespace ReaderStudy.Imaging.Nifti;

/// <summary>
/// A NIfTI image as read: its voxel grid (i fastest, then j, k, and volumes t), the affine from voxel (i, j, k) to
/// world RAS+ mm (sform when set, else qform, else pixdim), and its values after scl_slope/scl_inter.
/// </summary>
public sealed record NiftiVolume(string Path, int[] Dimensions, double[,] Affine, float[] Values, string Datatype)
{
    public int Nx => Dimensions[0];
    public int Ny => Dimensions[1];
    public int Nz => Dimensions[2];
    /// <summary>Volumes in the fourth dimension (echoes of a 4-D MESE), 1 for a 3-D image.</summary>
    public int Volumes => Dimensions[3];
    public int VoxelsPerVolume => Nx * Ny * Nz;

    /// <summary>The values of one volume of a 4-D image.</summary>
    public float[] Volume(int t) => Values[(t * VoxelsPerVolume)..((t + 1) * VoxelsPerVolume)];

    public string Grid => $"{Nx}×{Ny}×{Nz}" + (Volumes > 1 ? $"×{Volumes}" : "");
}

/// <summary>A NIfTI file that cannot be used, with the file and the reason named.</summary>
public sealed class NiftiException(string message) : Exception(message);

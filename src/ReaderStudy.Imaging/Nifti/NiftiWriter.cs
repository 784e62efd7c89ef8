using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ReaderStudy.Imaging.Nifti;

/// <summary>
/// Writes float32 NIfTI single files (.nii, or .nii.gz when the name says so), with sform and qform both set: NIfTI-1,
/// or NIfTI-2 when a dimension does not fit NIfTI-1's 16 bits (or when asked).
/// </summary>
public static class NiftiWriter
{
    /// <param name="dimensions">nx, ny, nz (and volumes, for a 4-D image).</param>
    /// <param name="affine">Voxel (i, j, k) to world RAS+ mm.</param>
    /// <param name="version">1 or 2; null: the smallest that holds the image.</param>
    public static void Write(string path, int[] dimensions, float[] values, double[,] affine, string description = "", int? version = null)
    {
        var count = dimensions.Aggregate(1L, (a, b) => a * b);
        if (values.Length != count)
        {
            throw new ArgumentException($"{values.Length} values do not fill {string.Join("×", dimensions)}.", nameof(values));
        }
        var (rotation, size, qfac) = Decompose(affine);
        var quaternion = Quaternion(rotation);
        var text = Encoding.ASCII.GetBytes(description.Length > 79 ? description[..79] : description);
        var header = (version ?? (dimensions.Any(d => d > short.MaxValue) ? 2 : 1)) == 2
            ? Nifti2(dimensions, affine, size, qfac, quaternion, text)
            : Nifti1(dimensions, affine, size, qfac, quaternion, text);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var file = File.Create(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(header);
        var voxels = new byte[values.Length * 4];
        for (var v = 0; v < values.Length; v++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(voxels.AsSpan(4 * v), values[v]);
        }
        stream.Write(voxels);
    }

    // nifti1.h: a 348-byte header and 4 bytes of (no) extension; voxels from byte 352.
    private static byte[] Nifti1(int[] dimensions, double[,] affine, double[] size, float qfac, (double B, double C, double D) q, byte[] description)
    {
        var header = new byte[352];
        var h = header.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(h, 348);
        BinaryPrimitives.WriteInt16LittleEndian(h[40..], (short)dimensions.Length);
        for (var i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(h[(42 + 2 * i)..], (short)(i < dimensions.Length ? dimensions[i] : 1));
        }
        BinaryPrimitives.WriteInt16LittleEndian(h[70..], 16);   // float32
        BinaryPrimitives.WriteInt16LittleEndian(h[72..], 32);
        BinaryPrimitives.WriteSingleLittleEndian(h[76..], qfac);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(80 + 4 * i)..], (float)size[i]);
        }
        BinaryPrimitives.WriteSingleLittleEndian(h[92..], 1);
        BinaryPrimitives.WriteSingleLittleEndian(h[108..], 352);   // vox_offset
        BinaryPrimitives.WriteSingleLittleEndian(h[112..], 1);     // scl_slope
        header[123] = 2 | 8;                                       // xyzt_units: mm, s
        description.CopyTo(h[148..]);
        BinaryPrimitives.WriteInt16LittleEndian(h[252..], 1);      // qform_code: scanner anatomical
        BinaryPrimitives.WriteInt16LittleEndian(h[254..], 1);      // sform_code
        BinaryPrimitives.WriteSingleLittleEndian(h[256..], (float)q.B);
        BinaryPrimitives.WriteSingleLittleEndian(h[260..], (float)q.C);
        BinaryPrimitives.WriteSingleLittleEndian(h[264..], (float)q.D);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(h[(268 + 4 * i)..], (float)affine[i, 3]);
            for (var j = 0; j < 4; j++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(h[(280 + 16 * i + 4 * j)..], (float)affine[i, j]);
            }
        }
        Encoding.ASCII.GetBytes("n+1\0").CopyTo(h[344..]);
        return header;
    }

    // nifti2.h: the same fields in 64-bit integers and doubles, a 540-byte header; voxels from byte 544.
    private static byte[] Nifti2(int[] dimensions, double[,] affine, double[] size, float qfac, (double B, double C, double D) q, byte[] description)
    {
        var header = new byte[544];
        var h = header.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(h, 540);
        "n+2\0\r\n\u001a\n"u8.CopyTo(h[4..]);
        BinaryPrimitives.WriteInt16LittleEndian(h[12..], 16);   // float32
        BinaryPrimitives.WriteInt16LittleEndian(h[14..], 32);
        BinaryPrimitives.WriteInt64LittleEndian(h[16..], dimensions.Length);
        for (var i = 0; i < 7; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(h[(24 + 8 * i)..], i < dimensions.Length ? dimensions[i] : 1);
        }
        BinaryPrimitives.WriteDoubleLittleEndian(h[104..], qfac);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(h[(112 + 8 * i)..], size[i]);
        }
        BinaryPrimitives.WriteDoubleLittleEndian(h[136..], 1);
        BinaryPrimitives.WriteInt64LittleEndian(h[168..], 544);    // vox_offset
        BinaryPrimitives.WriteDoubleLittleEndian(h[176..], 1);     // scl_slope
        description.CopyTo(h[240..]);
        BinaryPrimitives.WriteInt32LittleEndian(h[344..], 1);      // qform_code
        BinaryPrimitives.WriteInt32LittleEndian(h[348..], 1);      // sform_code
        BinaryPrimitives.WriteDoubleLittleEndian(h[352..], q.B);
        BinaryPrimitives.WriteDoubleLittleEndian(h[360..], q.C);
        BinaryPrimitives.WriteDoubleLittleEndian(h[368..], q.D);
        for (var i = 0; i < 3; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(h[(376 + 8 * i)..], affine[i, 3]);
            for (var j = 0; j < 4; j++)
            {
                BinaryPrimitives.WriteDoubleLittleEndian(h[(400 + 32 * i + 8 * j)..], affine[i, j]);
            }
        }
        BinaryPrimitives.WriteInt32LittleEndian(h[500..], 2 | 8);  // xyzt_units: mm, s
        return header;
    }

    /// <summary>Rotation (unit columns), voxel sizes, and qfac (−1 when the axes are left-handed).</summary>
    private static (double[,] Rotation, double[] Size, float Qfac) Decompose(double[,] affine)
    {
        var size = new double[3];
        var rotation = new double[3, 3];
        for (var j = 0; j < 3; j++)
        {
            size[j] = Math.Sqrt(Enumerable.Range(0, 3).Sum(i => affine[i, j] * affine[i, j]));
            for (var i = 0; i < 3; i++)
            {
                rotation[i, j] = size[j] == 0 ? (i == j ? 1 : 0) : affine[i, j] / size[j];
            }
        }
        var determinant = rotation[0, 0] * (rotation[1, 1] * rotation[2, 2] - rotation[1, 2] * rotation[2, 1])
            - rotation[0, 1] * (rotation[1, 0] * rotation[2, 2] - rotation[1, 2] * rotation[2, 0])
            + rotation[0, 2] * (rotation[1, 0] * rotation[2, 1] - rotation[1, 1] * rotation[2, 0]);
        if (determinant >= 0)
        {
            return (rotation, size, 1);
        }
        for (var i = 0; i < 3; i++)
        {
            rotation[i, 2] = -rotation[i, 2];
        }
        return (rotation, size, -1);
    }

    /// <summary>Quaternion (b, c, d) of a proper rotation, with a ≥ 0 (as nifti1_io's mat44_to_quatern).</summary>
    private static (double B, double C, double D) Quaternion(double[,] r)
    {
        double a = 1 + r[0, 0] + r[1, 1] + r[2, 2], b, c, d;
        if (a > 0.5)
        {
            a = 0.5 * Math.Sqrt(a);
            (b, c, d) = (0.25 * (r[2, 1] - r[1, 2]) / a, 0.25 * (r[0, 2] - r[2, 0]) / a, 0.25 * (r[1, 0] - r[0, 1]) / a);
        }
        else
        {
            var (xd, yd, zd) = (1 + r[0, 0] - (r[1, 1] + r[2, 2]), 1 + r[1, 1] - (r[0, 0] + r[2, 2]), 1 + r[2, 2] - (r[0, 0] + r[1, 1]));
            if (xd > 1)
            {
                b = 0.5 * Math.Sqrt(xd);
                (c, d, a) = (0.25 * (r[0, 1] + r[1, 0]) / b, 0.25 * (r[0, 2] + r[2, 0]) / b, 0.25 * (r[2, 1] - r[1, 2]) / b);
            }
            else if (yd > 1)
            {
                c = 0.5 * Math.Sqrt(yd);
                (b, d, a) = (0.25 * (r[0, 1] + r[1, 0]) / c, 0.25 * (r[1, 2] + r[2, 1]) / c, 0.25 * (r[0, 2] - r[2, 0]) / c);
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                (b, c, a) = (0.25 * (r[0, 2] + r[2, 0]) / d, 0.25 * (r[1, 2] + r[2, 1]) / d, 0.25 * (r[1, 0] - r[0, 1]) / d);
            }
            if (a < 0)
            {
                (b, c, d) = (-b, -c, -d);
            }
        }
        return (b, c, d);
    }
}

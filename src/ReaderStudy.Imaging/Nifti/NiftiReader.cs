using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ReaderStudy.Imaging.Nifti;

/// <summary>
/// Reads NIfTI-1 and NIfTI-2 single files (.nii, .nii.gz), either byte order (no NuGet package reads NIfTI; the
/// format is one fixed header and raw voxels, NIfTI-1: nifti.nimh.nih.gov/pub/dist/src/niftilib/nifti1.h).
/// </summary>
public static class NiftiReader
{
    /// <summary>Voxel types a scalar image may hold; complex and RGB images are refused by name.</summary>
    private static readonly Dictionary<int, (string Name, int Bytes)> Datatypes = new()
    {
        [2] = ("uint8", 1), [4] = ("int16", 2), [8] = ("int32", 4), [16] = ("float32", 4), [64] = ("float64", 8),
        [256] = ("int8", 1), [512] = ("uint16", 2), [768] = ("uint32", 4), [1024] = ("int64", 8), [1280] = ("uint64", 8),
    };

    private static readonly Dictionary<int, string> Unsupported = new()
    {
        [1] = "binary (1 bit)", [32] = "complex64", [128] = "RGB24", [1536] = "float128", [1792] = "complex128", [2048] = "complex256", [2304] = "RGBA32",
    };

    private const long MaxBytes = 1L << 31;

    public static NiftiVolume Read(string path)
    {
        var bytes = Load(path);
        if (bytes.Length < 348)
        {
            throw new NiftiException($"{path}: {bytes.Length} bytes, shorter than a NIfTI header (348): not a NIfTI file, or truncated.");
        }
        var size = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var little = size is 348 or 540;
        if (!little && BinaryPrimitives.ReadInt32BigEndian(bytes) is not (348 or 540))
        {
            throw new NiftiException($"{path}: not a NIfTI file (header size {size}, expected 348 for NIfTI-1 or 540 for NIfTI-2).");
        }
        var header = new HeaderReader(bytes, little);
        return (little ? size : BinaryPrimitives.ReadInt32BigEndian(bytes)) == 348 ? ReadNifti1(path, bytes, header) : ReadNifti2(path, bytes, header);
    }

    private static byte[] Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NiftiException($"{path}: no such file.");
        }
        var raw = File.ReadAllBytes(path);
        if (raw.Length < 2 || raw[0] != 0x1f || raw[1] != 0x8b)
        {
            return raw;
        }
        try
        {
            using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var inflated = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                // A few kilobytes of gzip can inflate to gigabytes: stop at what an image can be.
                if (inflated.Length + read > MaxBytes)
                {
                    throw new NiftiException($"{path}: inflates to more than {MaxBytes >> 30} GiB; not an image the portal reads.");
                }
                inflated.Write(buffer, 0, read);
            }
            return inflated.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new NiftiException($"{path}: the gzip stream is corrupt or cut short ({e.Message}); the file is truncated.");
        }
    }

    private static NiftiVolume ReadNifti1(string path, byte[] bytes, HeaderReader h)
    {
        var magic = Encoding.ASCII.GetString(bytes, 344, 3);
        if (magic == "ni1")
        {
            throw new NiftiException($"{path}: a NIfTI-1 .hdr/.img pair; give the single-file form (.nii or .nii.gz).");
        }
        if (magic != "n+1")
        {
            throw new NiftiException($"{path}: NIfTI-1 magic '{magic}' is not 'n+1'.");
        }
        long[] dim = [.. Enumerable.Range(0, 8).Select(i => (long)h.Int16(40 + 2 * i))];
        double[] pixdim = [.. Enumerable.Range(0, 8).Select(i => (double)h.Single(76 + 4 * i))];
        var quaternion = new Quaternion(h.Single(256), h.Single(260), h.Single(264), h.Single(268), h.Single(272), h.Single(276));
        double[][] srow = [.. Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 4).Select(c => (double)h.Single(280 + 16 * r + 4 * c)).ToArray())];
        return Build(path, bytes, h, dim, pixdim, h.Int16(70), (long)h.Single(108), h.Single(112), h.Single(116), h.Int16(252), h.Int16(254), quaternion, srow);
    }

    private static NiftiVolume ReadNifti2(string path, byte[] bytes, HeaderReader h)
    {
        if (bytes.Length < 540)
        {
            throw new NiftiException($"{path}: {bytes.Length} bytes, shorter than a NIfTI-2 header (540): truncated.");
        }
        var magic = Encoding.ASCII.GetString(bytes, 4, 3);
        if (magic != "n+2")
        {
            throw new NiftiException($"{path}: NIfTI-2 magic '{magic}' is not 'n+2' (a .hdr/.img pair is not read).");
        }
        long[] dim = [.. Enumerable.Range(0, 8).Select(i => h.Int64(16 + 8 * i))];
        double[] pixdim = [.. Enumerable.Range(0, 8).Select(i => h.Double(104 + 8 * i))];
        var quaternion = new Quaternion(h.Double(352), h.Double(360), h.Double(368), h.Double(376), h.Double(384), h.Double(392));
        double[][] srow = [.. Enumerable.Range(0, 3).Select(r => Enumerable.Range(0, 4).Select(c => h.Double(400 + 32 * r + 8 * c)).ToArray())];
        return Build(path, bytes, h, dim, pixdim, h.Int16(12), h.Int64(168), h.Double(176), h.Double(184), h.Int32(344), h.Int32(348), quaternion, srow);
    }

    private static NiftiVolume Build(string path, byte[] bytes, HeaderReader h, long[] dim, double[] pixdim, int datatype, long offset,
        double slope, double intercept, int qformCode, int sformCode, Quaternion quaternion, double[][] srow)
    {
        if (dim[0] is < 2 or > 4)
        {
            throw new NiftiException($"{path}: {dim[0]} dimensions; a 2-D, 3-D or 4-D image is expected.");
        }
        long[] shape = [.. Enumerable.Range(1, 4).Select(i => i <= dim[0] ? Math.Max(1, dim[i]) : 1)];
        if (!Datatypes.TryGetValue(datatype, out var type))
        {
            var name = Unsupported.GetValueOrDefault(datatype, $"code {datatype}");
            throw new NiftiException($"{path}: datatype {name} is not supported; a scalar image (integer or float) is expected.");
        }
        var count = shape.Aggregate(1L, (a, b) => a * b);
        var needed = offset + count * type.Bytes;
        if (count > int.MaxValue / 8 || offset < 0)
        {
            throw new NiftiException($"{path}: {string.Join("×", shape)} voxels is not a size the portal reads.");
        }
        if (needed > bytes.Length)
        {
            throw new NiftiException($"{path}: the header promises {count} {type.Name} voxels from byte {offset} ({needed} bytes), the file holds {bytes.Length}; it is truncated.");
        }
        // scl_slope 0 means "no scaling" (NIfTI-1 §scl_slope).
        var (a, b) = slope == 0 || !double.IsFinite(slope) ? (1.0, 0.0) : (slope, double.IsFinite(intercept) ? intercept : 0);
        var values = new float[count];
        for (var v = 0; v < count; v++)
        {
            values[v] = (float)(h.Voxel(datatype, (int)(offset + v * type.Bytes)) * a + b);
        }
        var affine = sformCode > 0 ? FromRows(srow)
            : qformCode > 0 ? quaternion.Affine(pixdim)
            : Diagonal(pixdim);
        return new NiftiVolume(path, [.. shape.Select(s => (int)s)], affine, values, type.Name);
    }

    private static double[,] FromRows(double[][] rows)
    {
        var affine = new double[4, 4];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                affine[r, c] = rows[r][c];
            }
        }
        affine[3, 3] = 1;
        return affine;
    }

    private static double[,] Diagonal(double[] pixdim) => new double[,]
    {
        { pixdim[1] == 0 ? 1 : pixdim[1], 0, 0, 0 }, { 0, pixdim[2] == 0 ? 1 : pixdim[2], 0, 0 }, { 0, 0, pixdim[3] == 0 ? 1 : pixdim[3], 0 }, { 0, 0, 0, 1 },
    };

    /// <summary>The qform: a rotation from quaternion (b, c, d), voxel sizes with qfac = sign of pixdim[0], and an offset.</summary>
    private sealed record Quaternion(double B, double C, double D, double X, double Y, double Z)
    {
        public double[,] Affine(double[] pixdim)
        {
            var a = Math.Sqrt(Math.Max(0, 1 - (B * B + C * C + D * D)));
            var qfac = pixdim[0] < 0 ? -1 : 1;
            double[,] r =
            {
                { a * a + B * B - C * C - D * D, 2 * (B * C - a * D), 2 * (B * D + a * C) },
                { 2 * (B * C + a * D), a * a + C * C - B * B - D * D, 2 * (C * D - a * B) },
                { 2 * (B * D - a * C), 2 * (C * D + a * B), a * a + D * D - C * C - B * B },
            };
            double[] size = [pixdim[1], pixdim[2], qfac * pixdim[3]];
            var affine = new double[4, 4];
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    affine[i, j] = r[i, j] * size[j];
                }
            }
            (affine[0, 3], affine[1, 3], affine[2, 3], affine[3, 3]) = (X, Y, Z, 1);
            return affine;
        }
    }

    private readonly struct HeaderReader(byte[] bytes, bool little)
    {
        private ReadOnlySpan<byte> At(int offset, int length) => bytes.AsSpan(offset, length);
        public short Int16(int o) => little ? BinaryPrimitives.ReadInt16LittleEndian(At(o, 2)) : BinaryPrimitives.ReadInt16BigEndian(At(o, 2));
        public int Int32(int o) => little ? BinaryPrimitives.ReadInt32LittleEndian(At(o, 4)) : BinaryPrimitives.ReadInt32BigEndian(At(o, 4));
        public long Int64(int o) => little ? BinaryPrimitives.ReadInt64LittleEndian(At(o, 8)) : BinaryPrimitives.ReadInt64BigEndian(At(o, 8));
        public float Single(int o) => little ? BinaryPrimitives.ReadSingleLittleEndian(At(o, 4)) : BinaryPrimitives.ReadSingleBigEndian(At(o, 4));
        public double Double(int o) => little ? BinaryPrimitives.ReadDoubleLittleEndian(At(o, 8)) : BinaryPrimitives.ReadDoubleBigEndian(At(o, 8));

        public double Voxel(int datatype, int o) => datatype switch
        {
            2 => bytes[o],
            256 => (sbyte)bytes[o],
            4 => Int16(o),
            512 => (ushort)Int16(o),
            8 => Int32(o),
            768 => (uint)Int32(o),
            1024 => Int64(o),
            1280 => (ulong)Int64(o),
            16 => Single(o),
            _ => Double(o),
        };
    }
}

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Float Pixel Data (7FE0,0008), as Parametric Maps hold it: GDCM's image reader refuses it, but the values are plain
/// little-endian float32 in the data set. They are kept as integers scaled by a slope (2^30 levels over the largest
/// magnitude: far finer than float32's own precision near it), so every consumer of <see cref="DicomImage"/> reads them.
/// </summary>
internal static class FloatPixels
{
    public static (DicomImage Whole, gdcm.Reader Reader)? Open(string path)
    {
        var reader = new gdcm.Reader();
        reader.SetFileName(path);
        var ds = reader.Read() ? reader.GetFile().GetDataSet() : null;
        var bytes = ds is null ? null : DataSetReader.Bytes(ds, 0x7FE0, 0x0008);
        if (ds is null || bytes is null)
        {
            reader.Dispose();
            return null;
        }
        try
        {
            var rows = DataSetReader.UnsignedShort(ds, 0x0028, 0x0010) ?? 0;
            var columns = DataSetReader.UnsignedShort(ds, 0x0028, 0x0011) ?? 0;
            var frames = int.TryParse(DataSetReader.Text(ds, 0x0028, 0x0008), out var n) && n > 0 ? n : 1;
            var count = rows * columns * frames;
            if (count == 0 || bytes.Length < count * 4L)
            {
                throw new DicomReadException($"{path}: the float pixel data holds {bytes.Length / 4} values for {columns}x{rows}x{frames}; the file is truncated or contradicts itself.");
            }
            var values = new float[count];
            Buffer.BlockCopy(bytes, 0, values, 0, count * 4);
            var magnitude = values.Where(float.IsFinite).Select(v => Math.Abs((double)v)).DefaultIfEmpty(0).Max();
            var slope = magnitude == 0 ? 1 : magnitude / (1 << 30);
            var stored = values.Select(v => float.IsFinite(v) ? (int)Math.Round(v / slope) : 0).ToArray();
            return (DicomReader.Describe(path, reader.GetFile(), rows, columns, frames, stored, slope), reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }
}

namespace ReaderStudy.Imaging.Dicom;

/// <summary>Reads DICOM files through GDCM, in every transfer syntax GDCM decodes.</summary>
public static class DicomReader
{
    /// <summary>Decodes one 16-bit single-frame image; throws <see cref="DicomReadException"/> naming the file on any failure.</summary>
    public static DicomImage Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new DicomReadException($"{path}: no such file.");
        }
        using var reader = new gdcm.ImageReader();
        reader.SetFileName(path);
        if (!GdcmWarnings.Capture(reader.Read, out var warnings))
        {
            throw new DicomReadException($"{path}: not a readable DICOM image (GDCM could not parse it).");
        }
        if (warnings.Contains("Incomplete Pixel Data", StringComparison.Ordinal))
        {
            throw new DicomReadException($"{path}: the pixel data is cut short (truncated file).");
        }
        var image = reader.GetImage();
        var columns = (int)image.GetDimension(0);
        var rows = (int)image.GetDimension(1);
        var expected = (long)rows * columns * 2;
        var length = image.GetBufferLength();
        if (length != expected)
        {
            throw new DicomReadException($"{path}: expected {expected} bytes of 16-bit pixels for {columns}x{rows}, the image holds {length}.");
        }
        var bytes = new byte[length];
        if (!image.GetBuffer(bytes))
        {
            throw new DicomReadException($"{path}: the pixel data could not be decoded (truncated or corrupt).");
        }
        var pixels = new ushort[rows * columns];
        Buffer.BlockCopy(bytes, 0, pixels, 0, bytes.Length);

        using var tags = new gdcm.StringFilter();
        tags.SetFile(reader.GetFile());
        string Tag(ushort group, ushort element) => tags.ToString(new gdcm.Tag(group, element)).Trim().TrimEnd('\0');
        return new DicomImage(
            path,
            Tag(0x0008, 0x0060),
            Tag(0x0008, 0x103E),
            Tag(0x0020, 0x000E),
            reader.GetFile().GetHeader().GetDataSetTransferSyntax().GetString()?.Trim().TrimEnd('\0') ?? "",
            rows,
            columns,
            pixels);
    }
}

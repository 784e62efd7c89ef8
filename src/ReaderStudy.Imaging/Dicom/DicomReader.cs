using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>Reads DICOM files through GDCM, in every transfer syntax GDCM decodes.</summary>
public static class DicomReader
{
    static DicomReader() => GdcmWarnings.Start();

    /// <summary>Decodes one image file; throws <see cref="DicomReadException"/> naming the file on any failure.</summary>
    /// <remarks>An Enhanced MR file comes back whole here (its frames' echo times and positions are per frame): use
    /// <see cref="ReadAll"/> to see it as the series of images it holds.</remarks>
    public static DicomImage Read(string path)
    {
        var (whole, reader) = Open(path);
        reader.Dispose();
        return whole;
    }

    /// <summary>
    /// The images one file holds: itself, or for an Enhanced MR multi-frame file one image per frame with that frame's
    /// echo time, position, orientation, spacing and rescale, exactly as the equivalent single-frame series would read.
    /// </summary>
    /// <param name="splitFolder">Where to write each frame of an Enhanced MR file as a single-frame MR image (what
    /// the import stores); the images returned are then those files. Null keeps the frames in memory only.</param>
    public static IReadOnlyList<DicomImage> ReadAll(string path, string? splitFolder = null)
    {
        var (whole, reader) = Open(path);
        using var _ = reader;
        var file = reader.GetFile();
        if (!EnhancedMultiframe.Holds(whole, file.GetDataSet()))
        {
            return [whole];
        }
        var frames = EnhancedMultiframe.Frames(whole, file.GetDataSet(), floatPixels: reader is not gdcm.ImageReader);
        return splitFolder is null ? frames
            : [.. EnhancedMultiframe.Split(file, frames, splitFolder).Zip(frames, (split, frame) => Read(split) with { SourcePath = path, SourceFrame = frame.SourceFrame })];
    }

    /// <summary>
    /// One image file's header only, read up to its pixel data: what the image is and where it lies, with no pixels
    /// (<see cref="DicomImage.StoredValues"/> empty). Null for a file that is not one plain single-frame image (an
    /// Enhanced MR file, float pixels, several frames, no header GDCM can parse): such files are read whole instead.
    /// </summary>
    public static DicomImage? ReadHeader(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        using var pixelData = new gdcm.Tag(0x7FE0, 0x0010);
        if (!GdcmWarnings.Capture(() => reader.ReadUpToTag(pixelData), out _))
        {
            return null;
        }
        var file = reader.GetFile();
        var ds = file.GetDataSet();
        var (rows, columns) = (DataSetReader.UnsignedShort(ds, 0x0028, 0x0010) ?? 0, DataSetReader.UnsignedShort(ds, 0x0028, 0x0011) ?? 0);
        var frames = DataSetReader.Text(ds, 0x0028, 0x0008);
        using var floatPixels = new gdcm.Tag(0x7FE0, 0x0008);
        if (rows == 0 || columns == 0 || frames is not ("" or "1") || ds.FindDataElement(floatPixels))
        {
            return null;
        }
        var header = Describe(path, file, rows, columns, 1, [], null);
        return EnhancedMultiframe.Holds(header, ds) ? null : header;
    }

    /// <summary>The file decoded, and the reader that holds its data set (the caller disposes it).</summary>
    private static (DicomImage Whole, gdcm.Reader Reader) Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new DicomReadException($"{path}: no such file.");
        }
        var reader = new gdcm.ImageReader();
        reader.SetFileName(path);
        if (!GdcmWarnings.Capture(reader.Read, out var warnings))
        {
            reader.Dispose();
            // GDCM's image reader does not take float pixels (Parametric Maps); those are read from their data set.
            return FloatPixels.Open(path) ?? throw new DicomReadException($"{path}: not a readable DICOM image (GDCM could not parse it).");
        }
        if (warnings.Contains("Incomplete Pixel Data", StringComparison.Ordinal))
        {
            using var header = new gdcm.StringFilter();
            header.SetFile(reader.GetFile());
            using var seriesTag = new gdcm.Tag(0x0020, 0x000E);
            var series = header.ToString(seriesTag).Trim().TrimEnd('\0');
            reader.Dispose();
            throw new DicomReadException($"{path}: the pixel data is cut short (truncated file).", series.Length > 0 ? series : null);
        }
        try
        {
            return (Describe(path, reader), reader);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    private static DicomImage Describe(string path, gdcm.ImageReader reader)
    {
        var image = reader.GetImage();
        var columns = (int)image.GetDimension(0);
        var rows = (int)image.GetDimension(1);
        var frames = image.GetNumberOfDimensions() > 2 ? (int)image.GetDimension(2) : 1;
        var format = image.GetPixelFormat();
        // The decoded bytes live only until they are widened into stored values: a pooled buffer, not a new large
        // object per file (large objects are zeroed when allocated and freed only by full collections).
        var length = checked((int)image.GetBufferLength());
        var bytes = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (!image.GetBuffer(bytes))
            {
                throw new DicomReadException($"{path}: the pixel data could not be decoded (truncated or corrupt).");
            }
            var stored = StoredValues(path, bytes.AsSpan(0, length), rows * columns * frames, format.GetBitsAllocated(), format.GetPixelRepresentation() == 1, format.GetSamplesPerPixel());
            return Describe(path, reader.GetFile(), rows, columns, frames, stored, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <param name="scale">For float pixels held as scaled integers: their slope (the file's rescale is identity).</param>
    internal static DicomImage Describe(string path, gdcm.File file, int rows, int columns, int frames, int[] stored, double? scale)
    {
        using var tags = new gdcm.StringFilter();
        tags.SetFile(file);
        // Each SWIG tag is freed at once: left to the finalizer, some 25 a file piled up on an import's every core.
        string Tag(ushort group, ushort element)
        {
            using var tag = new gdcm.Tag(group, element);
            return tags.ToString(tag).Trim().TrimEnd('\0').Trim();
        }
        double[] Numbers(ushort group, ushort element) => [.. Tag(group, element).Split('\\', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN).Where(double.IsFinite)];
        double? Number(ushort group, ushort element) => Numbers(group, element) is [var first, ..] ? first : null;

        var (slope, intercept) = scale is { } s ? (s, 0) : (Number(0x0028, 0x1053) ?? 1, Number(0x0028, 0x1052) ?? 0);
        return new DicomImage
        {
            Path = path,
            Modality = Tag(0x0008, 0x0060),
            SopClassUid = Tag(0x0008, 0x0016),
            SopInstanceUid = Tag(0x0008, 0x0018),
            StudyInstanceUid = Tag(0x0020, 0x000D),
            SeriesInstanceUid = Tag(0x0020, 0x000E),
            FrameOfReferenceUid = Tag(0x0020, 0x0052),
            SeriesDescription = Tag(0x0008, 0x103E),
            SeriesNumber = (int?)Number(0x0020, 0x0011),
            InstanceNumber = (int?)Number(0x0020, 0x0013),
            ImageType = Tag(0x0008, 0x0008),
            TransferSyntaxUid = file.GetHeader().GetDataSetTransferSyntax().GetString()?.Trim().TrimEnd('\0') ?? "",
            EchoTime = Number(0x0018, 0x0081),
            RepetitionTime = Number(0x0018, 0x0080),
            BurnedInAnnotation = Tag(0x0028, 0x0301),
            Rows = rows,
            Columns = columns,
            Frames = frames,
            // Projection images may give only the detector's Imager Pixel Spacing.
            PixelSpacing = Numbers(0x0028, 0x0030) is { Length: 2 } spacing ? spacing : Numbers(0x0018, 0x1164),
            PhotometricInterpretation = Tag(0x0028, 0x0004) is { Length: > 0 } photometric ? photometric : "MONOCHROME2",
            BitsStored = (int?)Number(0x0028, 0x0101) ?? 0,
            ScanOptions = Tag(0x0018, 0x0022),
            ImagePosition = Numbers(0x0020, 0x0032),
            ImageOrientation = Numbers(0x0020, 0x0037),
            Slope = slope == 0 ? 1 : slope,
            Intercept = intercept,
            StoredValues = stored,
        };
    }

    private static int[] StoredValues(string path, ReadOnlySpan<byte> bytes, int count, ushort bitsAllocated, bool signed, ushort samples)
    {
        if (samples != 1)
        {
            throw new DicomReadException($"{path}: {samples} samples per pixel; only greyscale images are supported.");
        }
        var values = new int[count];
        switch (bitsAllocated)
        {
            case 16 when bytes.Length >= count * 2 && signed:
                var words = MemoryMarshal.Cast<byte, short>(bytes)[..count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = words[i];
                }
                break;
            case 16 when bytes.Length >= count * 2:
                var unsignedWords = MemoryMarshal.Cast<byte, ushort>(bytes)[..count];
                for (var i = 0; i < count; i++)
                {
                    values[i] = unsignedWords[i];
                }
                break;
            case 8 when bytes.Length >= count:
                for (var i = 0; i < count; i++)
                {
                    values[i] = signed ? (sbyte)bytes[i] : bytes[i];
                }
                break;
            case 1 when bytes.Length * 8 >= count:
                // Binary segmentations: bits packed little-endian within each byte.
                for (var i = 0; i < count; i++)
                {
                    values[i] = (bytes[i >> 3] >> (i & 7)) & 1;
                }
                break;
            default:
                throw new DicomReadException($"{path}: {bitsAllocated}-bit pixels ({bytes.Length} bytes for {count} pixels) are not supported.");
        }
        return values;
    }
}

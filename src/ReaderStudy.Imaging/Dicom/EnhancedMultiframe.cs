using System.Globalization;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Enhanced MR Image files (one file, many frames, as Siemens XA and Philips export): each frame's echo time,
/// position, orientation, spacing and rescale live in its functional groups (PS3.3 C.7.6.16), per frame or shared.
/// The portal reads such a file as the series of images it holds, and imports it split into single-frame MR
/// images (as dcm4che's emf2sf does), so classification, the viewer, the T2 fit and the blinding checks see
/// exactly what they would see from the scanner's classic export.
/// </summary>
internal static class EnhancedMultiframe
{
    private static readonly (ushort Group, ushort Element) PerFrameGroups = (0x5200, 0x9230);
    private static readonly (ushort Group, ushort Element) SharedGroups = (0x5200, 0x9229);

    /// <summary>An MR image whose frames are described by per-frame functional groups (segmentations are left whole).</summary>
    public static bool Holds(DicomImage whole, gdcm.DataSet ds)
    {
        using var tag = new gdcm.Tag(PerFrameGroups.Group, PerFrameGroups.Element);
        return whole.Modality == "MR" && ds.FindDataElement(tag);
    }

    /// <summary>One image per frame, in the file's frame order, each with its own functional groups applied.</summary>
    /// <param name="floatPixels">Float values (a Parametric Map): their pixel value transformation is identity by definition.</param>
    public static IReadOnlyList<DicomImage> Frames(DicomImage whole, gdcm.DataSet ds, bool floatPixels = false)
    {
        var perFrame = DataSetReader.Items(ds, PerFrameGroups.Group, PerFrameGroups.Element);
        if (perFrame.Count != whole.Frames)
        {
            throw new DicomReadException($"{whole.Path}: {perFrame.Count} per-frame functional group item(s) for {whole.Frames} frame(s); the file contradicts itself.", whole.SeriesInstanceUid);
        }
        var shared = DataSetReader.First(ds, SharedGroups.Group, SharedGroups.Element);
        var length = whole.Rows * whole.Columns;
        var frames = new List<DicomImage>(perFrame.Count);
        for (var i = 0; i < perFrame.Count; i++)
        {
            var frame = perFrame[i];
            // A macro is in the frame's item when it varies, in the shared item when it does not.
            gdcm.DataSet? Macro(ushort group, ushort element) =>
                DataSetReader.First(frame, group, element) ?? (shared is null ? null : DataSetReader.First(shared, group, element));
            double[] Numbers(ushort macroGroup, ushort macroElement, ushort group, ushort element) =>
                Macro(macroGroup, macroElement) is { } macro ? Decimals(macro, group, element, whole.Path) : [];

            var echo = Macro(0x0018, 0x9114) is { } echoMacro ? DataSetReader.Double(echoMacro, 0x0018, 0x9082) : null;
            var repetition = Numbers(0x0018, 0x9112, 0x0018, 0x0080) is [var tr, ..] ? tr : whole.RepetitionTime;
            var position = Numbers(0x0020, 0x9113, 0x0020, 0x0032);
            var orientation = Numbers(0x0020, 0x9116, 0x0020, 0x0037);
            var spacing = Numbers(0x0028, 0x9110, 0x0028, 0x0030);
            var slope = !floatPixels && Numbers(0x0028, 0x9145, 0x0028, 0x1053) is [var s, ..] && s != 0 ? s : whole.Slope;
            var intercept = !floatPixels && Numbers(0x0028, 0x9145, 0x0028, 0x1052) is [var b, ..] ? b : whole.Intercept;
            if (position.Length != 3 || orientation.Length != 6)
            {
                throw new DicomReadException($"{whole.Path}: frame {i + 1} has no Plane Position or Plane Orientation (Patient); its place in the volume is unknown.", whole.SeriesInstanceUid);
            }
            frames.Add(whole with
            {
                Frames = 1,
                InstanceNumber = i + 1,
                EchoTime = echo,
                RepetitionTime = repetition,
                ImagePosition = position,
                ImageOrientation = orientation,
                PixelSpacing = spacing.Length == 2 ? spacing : whole.PixelSpacing,
                Slope = slope,
                Intercept = intercept,
                StoredValues = whole.StoredValues.Length == 0 ? [] : whole.StoredValues[(i * length)..((i + 1) * length)],
                SourcePath = whole.Path,
                SourceFrame = i + 1,
            });
        }
        return frames;
    }

    /// <summary>
    /// Writes each frame as a single-frame MR Image (the file's other attributes kept, its functional groups
    /// flattened into the frame's own attributes, pixels uncompressed 16-bit) and returns the files' paths.
    /// </summary>
    /// <remarks>Changes <paramref name="file"/>'s data set: the caller reads nothing more from it.</remarks>
    public static IReadOnlyList<string> Split(gdcm.File file, IReadOnlyList<DicomImage> frames, string folder)
    {
        Directory.CreateDirectory(folder);
        var ds = file.GetDataSet();
        var implicitVr = file.GetHeader().GetDataSetTransferSyntax().GetString()?.TrimEnd('\0') == "1.2.840.10008.1.2";
        foreach (var (group, element) in new[] { PerFrameGroups, SharedGroups, (0x0028, 0x0008), (0x0020, 0x9221), (0x0020, 0x9222), (0x7FE0, 0x0010), (0x7FE0, 0x0008) })
        {
            using var tag = new gdcm.Tag((ushort)group, (ushort)element);
            ds.Remove(tag);
        }
        var builder = new DataSetBuilder(ds);
        var paths = new List<string>(frames.Count);
        // Stored values that fit 16 bits are kept as they are; others (float maps) are encoded anew for the whole series.
        var reencoding = frames.Any(f => !Fits16Bits(f.StoredValues)) ? StoredEncoding.For([.. frames.SelectMany(f => f.Values())]) : null;
        foreach (var original in frames)
        {
            var frame = original;
            var pixels = new byte[frame.StoredValues.Length * 2];
            if (reencoding is not null)
            {
                reencoding.Encode(frame.Values(), pixels);
                frame = frame with { Slope = reencoding.Slope, Intercept = reencoding.Intercept };
            }
            else
            {
                for (var p = 0; p < frame.StoredValues.Length; p++)
                {
                    BitConverter.TryWriteBytes(pixels.AsSpan(2 * p), (ushort)(short)frame.StoredValues[p]);
                }
            }
            var signed = reencoding?.Signed ?? frame.StoredValues.Any(v => v < 0);
            var sopInstance = DicomUids.FromSeed($"{frame.SopInstanceUid}/frame/{frame.SourceFrame}");
            builder.Text(0x0008, 0x0016, "UI", DicomUids.MrImageStorage)
                .Text(0x0008, 0x0018, "UI", sopInstance)
                .Integers(0x0020, 0x0013, frame.SourceFrame!.Value)
                .Decimals(0x0020, 0x0032, frame.ImagePosition)
                .Decimals(0x0020, 0x0037, frame.ImageOrientation)
                .Decimals(0x0028, 0x0030, frame.PixelSpacing)
                .Decimals(0x0028, 0x1053, frame.Slope)
                .Decimals(0x0028, 0x1052, frame.Intercept)
                .UnsignedShort(0x0028, 0x0100, 16)
                .UnsignedShort(0x0028, 0x0101, 16)
                .UnsignedShort(0x0028, 0x0102, 15)
                .UnsignedShort(0x0028, 0x0103, (ushort)(signed ? 1 : 0))
                .Bytes(0x7FE0, 0x0010, "OW", pixels);
            if (frame.EchoTime is { } echo)
            {
                builder.Decimals(0x0018, 0x0081, echo);
            }
            if (frame.RepetitionTime is { } repetition)
            {
                builder.Decimals(0x0018, 0x0080, repetition);
            }
            var path = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(frame.Path)}-frame{frame.SourceFrame:D4}-{Guid.NewGuid():N}.dcm");
            using var writer = new gdcm.Writer();
            writer.SetFile(file);
            GdcmFiles.Save(writer, path, implicitVr ? gdcm.TransferSyntax.TSType.ImplicitVRLittleEndian : gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian);
            paths.Add(path);
        }
        return paths;
    }

    private static bool Fits16Bits(int[] values)
    {
        var signed = values.Any(v => v < 0);
        return !values.Any(v => v is < short.MinValue or > ushort.MaxValue || (signed && v > short.MaxValue));
    }

    private static double[] Decimals(gdcm.DataSet ds, ushort group, ushort element, string path)
    {
        var text = DataSetReader.Text(ds, group, element);
        var values = new List<double>();
        foreach (var part in text.Split('\\', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new DicomReadException($"{path}: ({group:X4},{element:X4}) '{text}' in a functional group is not a number.");
            }
            values.Add(value);
        }
        return [.. values];
    }
}

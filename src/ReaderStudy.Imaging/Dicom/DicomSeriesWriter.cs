namespace ReaderStudy.Imaging.Dicom;

/// <summary>
/// Writes a volume of physical values as an MR, CT or projection (MG, DX) image series, one file per slice,
/// explicit VR little endian. Values are stored as 16-bit integers with a series-wide Rescale Slope/Intercept,
/// so any viewer shows the physical value (ms for a T2 map, HU for CT); quantitative maps also carry Real World
/// Value Mapping. A MONOCHROME1 series stores its values inverted within the 16 bits, as such images are.
/// </summary>
public static class DicomSeriesWriter
{
    /// <param name="firstInstance">Instance number of the first slice; a multi-echo series writes each echo's slices after the last.</param>
    /// <returns>The written files, in slice order.</returns>
    public static IReadOnlyList<string> Write(string folder, SeriesInfo series, VolumeGeometry geometry, float[] values, int firstInstance = 1)
    {
        var sliceLength = geometry.Columns * geometry.Rows;
        if (values.Length != sliceLength * geometry.Slices)
        {
            throw new ArgumentException($"{values.Length} values do not fill {geometry.Columns}x{geometry.Rows}x{geometry.Slices}.", nameof(values));
        }
        Directory.CreateDirectory(folder);
        var encoding = StoredEncoding.For(values);
        var monochrome1 = series.PhotometricInterpretation == "MONOCHROME1";
        var top = (1 << Math.Clamp(series.BitsStored, 1, 16)) - 1;
        // Fewer bits stored than allocated: values beyond them would be masked away by readers.
        if ((monochrome1 || top < ushort.MaxValue) && (encoding.Signed || encoding.Slope != 1 || values.AsSpan().ContainsAnyExceptInRange(0f, top)))
        {
            throw new ArgumentException($"A series with {series.BitsStored} bits stored{(monochrome1 ? " in MONOCHROME1" : "")} is written from whole numbers in 0..{top}.", nameof(values));
        }
        var files = new string[geometry.Slices];
        // Slices are written on every core (a derived series is written while a reader or a job waits on it); each
        // has its own GDCM writer and buffer, as the phantom's subjects do.
        try
        {
            Parallel.For(0, geometry.Slices, () => (Stored: new byte[sliceLength * 2], Sources: SourcesOf(series)), (slice, _, local) =>
            {
                var stored = local.Stored;
                encoding.Encode(values.AsSpan(slice * sliceLength, sliceLength), stored);
                if (monochrome1)
                {
                    // High values are dark in MONOCHROME1: what a MONOCHROME2 display shows as v is stored as top − v.
                    var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(stored.AsSpan());
                    for (var i = 0; i < words.Length; i++)
                    {
                        words[i] = (ushort)(top - words[i]);
                    }
                }
                var path = Path.Combine(folder, $"{series.SeriesNumber:D3}-{firstInstance + slice:D4}.dcm");
                WriteSlice(path, series, geometry, slice, firstInstance + slice, encoding, stored, top, local.Sources);
                files[slice] = path;
                return local;
            }, local => local.Sources.DataSet.Dispose());
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // Callers handle a full disk or a refused folder as the IOException it is, not wrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return files;
    }

    // The Referenced Series Sequence names every image of every source series, the same in every slice: built once per
    // thread that writes slices and copied into each (built per slice, it was most of the time a series took to write).
    private static DataSetBuilder SourcesOf(SeriesInfo series)
    {
        var built = new DataSetBuilder(new gdcm.DataSet());
        if (series.Sources.Count > 0)
        {
            built.ReferencedSeries(series.Sources);
        }
        return built;
    }

    private static void WriteSlice(string path, SeriesInfo series, VolumeGeometry geometry, int slice, int instance, StoredEncoding encoding, byte[] stored, int top,
        DataSetBuilder sources)
    {
        using var writer = new gdcm.Writer();
        var ds = new DataSetBuilder(writer.GetFile().GetDataSet());
        var position = geometry.SliceOrigin(slice);
        ds.Identity(series, SopClassUid(series.Modality), SopInstanceUid(series.SeriesInstanceUid, instance), series.Modality, instance)
            .Text(0x0008, 0x0008, "CS", series.ImageType)
            .Text(0x0008, 0x0021, "DA", series.StudyDate)
            .Text(0x0008, 0x0031, "TM", "090000")
            .Text(0x0008, 0x1030, "LO", series.StudyDescription);
        switch (series.Modality)
        {
            case "MR":
                ds.Text(0x0018, 0x0020, "CS", series.ScanningSequence)
                    .Text(0x0018, 0x0021, "CS", "NONE")
                    .Text(0x0018, 0x0022, "CS", "")
                    .Text(0x0018, 0x0023, "CS", "2D")
                    .Text(0x0018, 0x0091, "IS", "")
                    .Text(0x0020, 0x0060, "CS", series.Laterality);
                break;
            case "CT":
                ds.Text(0x0018, 0x0060, "DS", "120").Text(0x0020, 0x0012, "IS", "1").Text(0x0020, 0x0060, "CS", series.Laterality);
                break;
            default:
                ds.MammographyView(series, geometry, top);
                break;
        }
        ds.Decimals(0x0018, 0x0050, geometry.SliceSpacing)
            .Decimals(0x0018, 0x0088, geometry.SliceSpacing)
            .Text(0x0018, 0x5100, "CS", "FFS")
            .Decimals(0x0020, 0x0032, position)
            .Decimals(0x0020, 0x0037, [.. geometry.RowDirection, .. geometry.ColumnDirection])
            .Decimals(0x0020, 0x1041, position.Zip(geometry.Normal, (p, n) => p * n).Sum())
            .UnsignedShort(0x0028, 0x0002, 1)
            .Text(0x0028, 0x0004, "CS", series.PhotometricInterpretation)
            .UnsignedShort(0x0028, 0x0010, (ushort)geometry.Rows)
            .UnsignedShort(0x0028, 0x0011, (ushort)geometry.Columns)
            .Decimals(0x0028, 0x0030, geometry.RowSpacing, geometry.ColumnSpacing)
            .UnsignedShort(0x0028, 0x0100, 16)
            .UnsignedShort(0x0028, 0x0101, (ushort)Math.Clamp(series.BitsStored, 1, 16))
            .UnsignedShort(0x0028, 0x0102, (ushort)(Math.Clamp(series.BitsStored, 1, 16) - 1))
            .UnsignedShort(0x0028, 0x0103, encoding.Signed ? (ushort)1 : (ushort)0)
            .Text(0x0028, 0x0301, "CS", "NO")
            .Decimals(0x0028, 0x1052, encoding.Intercept)
            .Decimals(0x0028, 0x1053, encoding.Slope)
            .Text(0x0028, 0x1054, "LO", series.Modality == "CT" ? "HU" : series.Units is null ? "US" : series.Units);
        if (series.Modality != "MR")
        {
            // No echo or repetition time outside MR.
        }
        else if (series.EchoTime is { } te)
        {
            ds.Decimals(0x0018, 0x0081, te);
        }
        else
        {
            ds.Text(0x0018, 0x0081, "DS", "");
        }
        if (series.Modality != "MR")
        {
        }
        else if (series.RepetitionTime is { } tr)
        {
            ds.Decimals(0x0018, 0x0080, tr);
        }
        else
        {
            ds.Text(0x0018, 0x0080, "DS", "");
        }
        if (series.EchoNumber is { } echo)
        {
            ds.Integers(0x0018, 0x0086, echo);
        }
        if (series.DerivationDescription is { } derivation)
        {
            ds.Text(0x0008, 0x2111, "ST", derivation);
        }
        if (series.Sources.Count > 0)
        {
            ds.CopyOf(sources, 0x0008, 0x1115);
            // The slice this one was computed from, in each source series (same position in the volume).
            var sourceImages = series.Sources.Where(source => slice < source.SopInstanceUids.Count)
                .Select(source => (Action<DataSetBuilder>)(item => item.SourceImage(source, slice))).ToArray();
            if (sourceImages.Length > 0)
            {
                ds.Sequence(0x0008, 0x2112, sourceImages);
            }
        }
        if (series.Units is { } units && series.Modality == "MR")
        {
            WriteRealWorldValueMapping(ds, series, encoding, units);
        }
        ds.Bytes(0x7FE0, 0x0010, "OW", stored);
        GdcmFiles.Save(writer, path, gdcm.TransferSyntax.TSType.ExplicitVRLittleEndian);
    }

    private static string SopClassUid(string modality) => modality switch
    {
        "MR" => DicomUids.MrImageStorage,
        "CT" => DicomUids.CtImageStorage,
        "MG" => DicomUids.DigitalMammographyForPresentationStorage,
        "DX" => DicomUids.DigitalXRayForPresentationStorage,
        _ => throw new ArgumentException($"Series of modality {modality} are not written; MR, CT, MG and DX are.", nameof(modality)),
    };

    /// <summary>Instance UIDs follow from the series UID and instance number, so a derived series can reference them before reading them.</summary>
    public static string SopInstanceUid(string seriesInstanceUid, int instance) => DicomUids.FromSeed($"{seriesInstanceUid}/{instance}");

    private static void WriteRealWorldValueMapping(DataSetBuilder ds, SeriesInfo series, StoredEncoding encoding, string units)
    {
        var vr = encoding.Signed ? "SS" : "US";
        ds.Sequence(0x0040, 0x9096, item => item
            .Text(0x0028, 0x3003, "LO", series.QuantityLabel ?? units)
            .Text(0x0040, 0x9210, "SH", series.QuantityLabel ?? units)
            .Bytes(0x0040, 0x9216, vr, encoding.Signed ? BitConverter.GetBytes(short.MinValue) : BitConverter.GetBytes(ushort.MinValue))
            .Bytes(0x0040, 0x9211, vr, encoding.Signed ? BitConverter.GetBytes(short.MaxValue) : BitConverter.GetBytes(ushort.MaxValue))
            .Double(0x0040, 0x9224, encoding.Intercept)
            .Double(0x0040, 0x9225, encoding.Slope)
            .Sequence(0x0040, 0x08EA, unit => unit.UcumUnits(units)));
    }
}

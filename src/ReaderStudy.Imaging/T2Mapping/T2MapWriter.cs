using ReaderStudy.Core.T2Mapping;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.T2Mapping;

/// <summary>Writes the maps of a fit as DICOM series that reference the MESE series they came from.</summary>
public static class T2MapWriter
{
    public sealed record Written(string T2SeriesUid, string Folder, IReadOnlyList<string> Files);

    /// <param name="parametricMap">Write the T2 map as one float DICOM Parametric Map instead of a 16-bit MR image series.</param>
    public static Written Write(string outputFolder, MeseSeries mese, T2Maps maps, T2FitOptions options, bool parametricMap = false)
    {
        var source = mese.FirstEcho.Slices[0];
        var sources = mese.EchoVolumes.GroupBy(v => v.SeriesInstanceUid).Select(g => SourceSeries.Of(g.Key, g.SelectMany(v => v.Slices))).ToList();
        var method = options.Method == T2FitMethod.LogLinear ? "weighted log-linear" : "Levenberg-Marquardt";
        var derivation = $"Mono-exponential T2 fit ({method}) of echoes {string.Join(", ", mese.Train.EchoTimesMs)} ms"
            + (options.ExcludeFirstEcho ? ", first echo excluded" : "") + $"; clipped to {options.ClipMin}-{options.ClipMax} ms";
        var baseNumber = 100 * (source.SeriesNumber ?? 0) + 1;
        var (patientName, patientId) = (ReadPatient(source.Path, 0x0010, 0x0010), ReadPatient(source.Path, 0x0010, 0x0020));
        SeriesInfo Info(int offset, string description, string imageType, string? units, string? label) => new()
        {
            PatientName = patientName,
            PatientId = patientId,
            StudyInstanceUid = source.StudyInstanceUid,
            SeriesInstanceUid = DicomUids.New(),
            FrameOfReferenceUid = source.FrameOfReferenceUid,
            SeriesNumber = baseNumber + offset,
            SeriesDescription = description,
            ImageType = imageType,
            Units = units,
            QuantityLabel = label,
            Sources = sources,
            DerivationDescription = derivation,
        };
        var geometry = mese.FirstEcho.Geometry;
        var t2 = Info(0, "T2 map (fitted from MESE)", "DERIVED\\SECONDARY\\T2 MAP", "ms", "T2");
        var files = new List<string>();
        files.AddRange(parametricMap
            ? [ParametricMapWriter.Write(Path.Combine(Directory.CreateDirectory(Path.Combine(outputFolder, "t2")).FullName, "t2-parametric-map.dcm"),
                t2 with { SeriesDescription = "T2 map (fitted from MESE), parametric map" }, geometry, maps.T2)]
            : DicomSeriesWriter.Write(Path.Combine(outputFolder, "t2"), t2, geometry, maps.T2));
        files.AddRange(DicomSeriesWriter.Write(Path.Combine(outputFolder, "s0"), Info(1, "S0 map (fitted from MESE)", "DERIVED\\SECONDARY\\OTHER", null, null), geometry, maps.S0));
        files.AddRange(DicomSeriesWriter.Write(Path.Combine(outputFolder, "r2"), Info(2, "R2 goodness of fit (MESE T2 fit)", "DERIVED\\SECONDARY\\OTHER", "1", "R2"), geometry, maps.R2));
        files.AddRange(DicomSeriesWriter.Write(Path.Combine(outputFolder, "reliable"), Info(3, "T2 fit reliability mask (1 = reliable)", "DERIVED\\SECONDARY\\OTHER", null, null),
            geometry, [.. maps.Reliable.Select(r => r ? 1f : 0f)]));
        return new Written(t2.SeriesInstanceUid, Path.Combine(outputFolder, "t2"), files);
    }

    internal static string ReadPatient(string path, ushort group, ushort element)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(path);
        return reader.Read() ? DataSetReader.Text(reader.GetFile().GetDataSet(), group, element) : "";
    }
}

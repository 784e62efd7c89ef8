using System.Text.Json;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Phantom;

/// <summary>
/// Writes mammography phantom subjects as a coordinator would receive them: the real craniocaudal view as the
/// detector stores it (MG, MONOCHROME1, 12 bits) and the synthetic one as an image generator's pipeline exports it
/// (MG, MONOCHROME2, 10 bits, a quarter of the scale). Storage differs on purpose: the portal must present the two
/// alike, or readers could tell them apart from bits alone. Then manifest.json with which is which.
/// </summary>
public static class MammographyStudyWriter
{
    public const string RealDescription = "CC view";
    public const string SyntheticDescription = "CC view (generated)";

    public static MammographyManifest Generate(string outputFolder, int subjects, MammographyPhantomOptions options)
    {
        Directory.CreateDirectory(outputFolder);
        var written = new MammographyManifestSubject[subjects];
        for (var i = 0; i < subjects; i++)
        {
            written[i] = Write(outputFolder, MammographyPhantom.Generate(i, options));
        }
        var manifest = new MammographyManifest("mammography", options.Seed, options.Rows, options.Columns, written);
        File.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(manifest, PhantomGenerator.ManifestJson));
        return manifest;
    }

    public static MammographyManifestSubject Write(string outputFolder, MammogramSubject subject)
    {
        var o = subject.Options;
        var folder = Path.Combine(outputFolder, subject.Pseudonym);
        var geometry = VolumeGeometry.Projection(o.Rows, o.Columns, o.PixelMm);
        var patient = new PhantomPatient("readerstudy-mammography", o.Seed, subject.Index, "MAMMO", subject.Pseudonym, "Mammography phantom");
        SeriesInfo Series(int number, string description) => patient.Series(number, description, "ORIGINAL\\PRIMARY") with { Modality = "MG", Laterality = subject.Laterality };
        var real = Series(1, RealDescription) with { PhotometricInterpretation = "MONOCHROME1", BitsStored = 12 };
        DicomSeriesWriter.Write(Path.Combine(folder, "real"), real, geometry, subject.Real);
        var synthetic = Series(2, SyntheticDescription) with { ImageType = "DERIVED\\SECONDARY", BitsStored = 10 };
        DicomSeriesWriter.Write(Path.Combine(folder, "synthetic"), synthetic, geometry, [.. subject.Synthetic.Select(v => Math.Min(1023, MathF.Round(v / 4)))]);
        return new MammographyManifestSubject(subject.Pseudonym, real.StudyInstanceUid, real.SeriesInstanceUid, synthetic.SeriesInstanceUid);
    }
}

/// <summary>manifest.json of a mammography phantom folder: which series of each subject is real and which synthetic.</summary>
public sealed record MammographyManifest(string Phantom, int Seed, int Rows, int Columns, IReadOnlyList<MammographyManifestSubject> Subjects);

public sealed record MammographyManifestSubject(string Pseudonym, string StudyInstanceUid, string RealSeriesInstanceUid, string SyntheticSeriesInstanceUid);

using System.Text.Json;
using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Phantom;

/// <summary>
/// Writes pelvis phantom subjects as the DICOM a coordinator of a synthetic-CT study would import: the T1-weighted
/// MR (the generator's input), the real CT, and a segmentation (bone, sacroiliac joint, muscle, fat) drawn on the CT;
/// then manifest.json with each subject's erosion truth and true mean HU per segment. MR and CT share one frame of
/// reference and grid, as registered series do. UIDs follow from seed and subject.
/// </summary>
public static class PelvisStudyWriter
{
    public const string MrDescription = "AX T1";
    public const string CtDescription = "AX CT";

    public static PelvisManifest Generate(string outputFolder, int subjects, PelvisPhantomOptions options)
    {
        Directory.CreateDirectory(outputFolder);
        var written = new PelvisManifestSubject[subjects];
        Parallel.For(0, subjects, i => written[i] = Write(outputFolder, PelvisPhantom.Generate(i, options)));
        var manifest = new PelvisManifest("pelvis", options.Seed, options.Size, options.Slices, written);
        File.WriteAllText(Path.Combine(outputFolder, "manifest.json"), JsonSerializer.Serialize(manifest, PhantomGenerator.ManifestJson));
        return manifest;
    }

    public static PelvisManifestSubject Write(string outputFolder, PelvisSubject subject)
    {
        var o = subject.Options;
        var folder = Path.Combine(outputFolder, subject.Pseudonym);
        var geometry = VolumeGeometry.Axial(o.Size, o.Slices, o.FieldOfViewMm / o.Size, o.SliceThicknessMm);
        var patient = new PhantomPatient("readerstudy-pelvis", o.Seed, subject.Index, "PELVIS", subject.Pseudonym, "Pelvis phantom");
        var Series = patient.Series;
        var mr = Series(1, MrDescription, "ORIGINAL\\PRIMARY\\M") with { EchoTime = 12, RepetitionTime = 500 };
        DicomSeriesWriter.Write(Path.Combine(folder, "t1"), mr, geometry, subject.T1);
        var ct = Series(2, CtDescription, "ORIGINAL\\PRIMARY\\AXIAL") with { Modality = "CT" };
        DicomSeriesWriter.Write(Path.Combine(folder, "ct"), ct, geometry, subject.Ct);
        var onCt = new SourceSeries(ct.SeriesInstanceUid, [.. Enumerable.Range(1, o.Slices).Select(i => DicomSeriesWriter.SopInstanceUid(ct.SeriesInstanceUid, i))])
            { SopClassUid = DicomUids.CtImageStorage };
        var seg = Series(3, "Pelvis segmentation", "DERIVED\\PRIMARY");
        var masks = PelvisSubject.Segments.Select(s => new SegmentMask(s.Number, s.Label, subject.SegmentMask(s.Number))).ToList();
        SegmentationWriter.Write(Path.Combine(folder, "segmentation", "pelvis.dcm"), seg, geometry, masks, onCt);
        return new PelvisManifestSubject(subject.Pseudonym, ct.StudyInstanceUid, subject.HasErosion, subject.ErosionSide,
            [
                new(mr.SeriesInstanceUid, mr.SeriesNumber, mr.SeriesDescription, "anatomic", o.Slices),
                new(ct.SeriesInstanceUid, ct.SeriesNumber, ct.SeriesDescription, "ct", o.Slices),
                new(seg.SeriesInstanceUid, seg.SeriesNumber, seg.SeriesDescription, "segmentation", 1),
            ],
            [.. subject.SegmentTruth().Select(s => new PelvisManifestSegment(s.Number, s.Label, s.Voxels, double.IsFinite(s.MeanHu) ? Math.Round(s.MeanHu, 3) : null))]);
    }
}

/// <summary>manifest.json of a pelvis phantom folder.</summary>
public sealed record PelvisManifest(string Phantom, int Seed, int Size, int Slices, IReadOnlyList<PelvisManifestSubject> Subjects);

/// <summary>A subject: its erosion truth (the diagnostic reference standard), its series, and the true mean HU per segment.</summary>
public sealed record PelvisManifestSubject(string Pseudonym, string StudyInstanceUid, bool HasErosion, string ErosionSide,
    IReadOnlyList<PhantomManifestSeries> Series, IReadOnlyList<PelvisManifestSegment> Segments);

public sealed record PelvisManifestSegment(int Segment, string Name, int Voxels, double? TrueMeanHu);

using ReaderStudy.Core.Phantom;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Phantom;

/// <summary>
/// Writes a phantom subject as the DICOM a coordinator would import: three anatomic series, the MESE
/// echo train (one series, 7 echoes), the ground-truth T2 map and the cartilage segmentation (SEG).
/// UIDs follow from seed and subject, so the same seed writes the same files.
/// </summary>
public static class PhantomStudyWriter
{
    public static PhantomManifestSubject Write(string outputFolder, PhantomSubject subject)
    {
        var o = subject.Options;
        var folder = Path.Combine(outputFolder, subject.Pseudonym);
        var geometry = VolumeGeometry.Sagittal(o.Size, o.Slices, o.FieldOfViewMm / o.Size, o.SliceThicknessMm);
        var patient = new PhantomPatient("readerstudy-phantom", o.Seed, subject.Index, "PHANTOM", subject.Pseudonym, "Knee phantom");
        SeriesInfo Series(int number, string description, string imageType) => patient.Series(number, description, imageType) with { Laterality = "R" };

        var series = new List<PhantomManifestSeries>();
        var number = 1;
        foreach (var (name, values) in subject.Anatomic)
        {
            var (te, tr) = AnatomicTiming[name];
            var info = Series(number++, $"SAG {name}", "ORIGINAL\\PRIMARY\\M") with { EchoTime = te, RepetitionTime = tr, ScanningSequence = name == "DESS" ? "GR" : "SE" };
            DicomSeriesWriter.Write(Path.Combine(folder, Slug(name)), info, geometry, values);
            series.Add(new(info.SeriesInstanceUid, info.SeriesNumber, info.SeriesDescription, "anatomic", o.Slices));
        }

        var mese = Series(number++, "SAG MESE T2 map echoes", "ORIGINAL\\PRIMARY\\M") with { RepetitionTime = o.MeseRepetitionTimeMs };
        for (var echo = 0; echo < o.EchoTimesMs.Count; echo++)
        {
            DicomSeriesWriter.Write(Path.Combine(folder, "mese"), mese with { EchoTime = o.EchoTimesMs[echo], EchoNumber = echo + 1 },
                geometry, subject.Echoes[echo], firstInstance: echo * o.Slices + 1);
        }
        series.Add(new(mese.SeriesInstanceUid, mese.SeriesNumber, mese.SeriesDescription, "mese", o.Slices * o.EchoTimesMs.Count));

        var firstEcho = new SourceSeries(mese.SeriesInstanceUid,
            [.. Enumerable.Range(1, o.Slices).Select(i => DicomSeriesWriter.SopInstanceUid(mese.SeriesInstanceUid, i))]);
        var truth = Series(number++, "T2 map (phantom ground truth)", "DERIVED\\SECONDARY\\T2 MAP") with
        {
            Units = "ms",
            QuantityLabel = "T2",
            Sources = [firstEcho],
            DerivationDescription = "Ground-truth T2 of the ReaderStudy knee phantom",
        };
        DicomSeriesWriter.Write(Path.Combine(folder, "t2-truth"), truth, geometry, subject.TrueT2);
        series.Add(new(truth.SeriesInstanceUid, truth.SeriesNumber, truth.SeriesDescription, "t2-map", o.Slices));

        var seg = Series(number, "Cartilage segmentation", "DERIVED\\PRIMARY");
        var masks = CartilageRegion.All.Select(region =>
            new SegmentMask(region.Number, region.Name, [.. Enumerable.Range(0, subject.VoxelCount).Select(v => subject.InRegion(v, region))])).ToList();
        SegmentationWriter.Write(Path.Combine(folder, "segmentation", "cartilage.dcm"), seg, geometry, masks, firstEcho);
        series.Add(new(seg.SeriesInstanceUid, seg.SeriesNumber, seg.SeriesDescription, "segmentation", 1));

        return new PhantomManifestSubject(subject.Pseudonym, mese.StudyInstanceUid, series,
            [.. subject.RegionTruth().Select(r => new PhantomManifestRegion(r.Region.Number, r.Region.Name, r.Voxels, double.IsFinite(r.MeanT2) ? Math.Round(r.MeanT2, 4) : null))]);
    }

    // Echo and repetition times (ms) the phantom's anatomic contrasts imitate.
    private static readonly Dictionary<string, (double Te, double Tr)> AnatomicTiming = new()
    {
        ["DESS"] = (5, 16), ["IW TSE"] = (30, 3000), ["T1"] = (12, 500),
    };

    private static string Slug(string name) => name.ToLowerInvariant().Replace(' ', '-');
}

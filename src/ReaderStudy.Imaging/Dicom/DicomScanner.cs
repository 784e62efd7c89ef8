using ReaderStudy.Core.Series;

namespace ReaderStudy.Imaging.Dicom;

/// <summary>Reads every DICOM file under some paths and groups them into series, keeping each file's error.</summary>
public static class DicomScanner
{
    /// <param name="keepPixels">False: every file is still decoded (so a truncated or corrupt one is caught) but only its
    /// header is kept, so scanning a whole cohort takes the memory of its headers, not of its images.</param>
    /// <param name="isolation">For untrusted files: decode them in this worker, refuse those that kill or hang it, and take
    /// the headers it read (the portal decodes their pixels only with <paramref name="keepPixels"/>).</param>
    /// <param name="splitFolder">Where the frames of Enhanced MR files are written as single-frame images (an import
    /// stores those); null reads them in memory only.</param>
    public static DicomScan Scan(IEnumerable<string> paths, IProgress<(int Done, int Total)>? progress = null, bool keepPixels = true, DicomWorker? isolation = null,
        string? splitFolder = null)
    {
        var files = paths.SelectMany(Expand).Distinct().Order(StringComparer.Ordinal).ToList();
        var images = new List<DicomImage>();
        var errors = new List<DicomFileError>();
        // Untrusted files are decoded in the worker only; their pixels are decoded again only when they are asked for.
        var verdicts = isolation is null ? null : DicomIsolation.Inspect(files, isolation, splitFolder);
        for (var i = 0; i < files.Count; i++)
        {
            if (verdicts is not null && verdicts.TryGetValue(files[i], out var verdict) && (verdict.Error is not null || !keepPixels))
            {
                if (verdict.Error is { } refusal)
                {
                    errors.Add(refusal);
                }
                else
                {
                    images.AddRange(verdict.Images);
                }
                progress?.Report((i + 1, files.Count));
                continue;
            }
            try
            {
                images.AddRange(DicomReader.ReadAll(files[i], splitFolder).Select(image => keepPixels ? image : image with { StoredValues = [] }));
            }
            catch (DicomReadException e)
            {
                errors.Add(new DicomFileError(files[i], e.Message, e.SeriesInstanceUid));
            }
            progress?.Report((i + 1, files.Count));
        }
        var series = images.GroupBy(i => i.SeriesInstanceUid).Select(Summarize).OrderBy(s => s.SeriesNumber ?? int.MaxValue).ToList();
        return new DicomScan(series, errors, images);
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        : [path];

    private static readonly IReadOnlyList<string> TakenModalities = [.. Core.Studies.StudyKindProfile.All.SelectMany(p => p.Modalities).Distinct()];

    private static DicomSeriesSummary Summarize(IGrouping<string, DicomImage> group)
    {
        var images = group.ToList();
        var first = images[0];
        var (kind, rule) = SeriesClassifier.Classify(images);
        var warnings = new List<string>();
        if (!TakenModalities.Contains(first.Modality))
        {
            warnings.Add($"modality {first.Modality}: no kind of study takes it ({string.Join(", ", TakenModalities)} are taken)");
        }
        if (images.Any(i => i.BurnedInAnnotation == "YES"))
        {
            warnings.Add("Burned In Annotation is YES: pixels may show patient identity");
        }
        if (images.Select(i => (i.Rows, i.Columns)).Distinct().Count() > 1)
        {
            warnings.Add("images of different sizes in one series");
        }
        return new DicomSeriesSummary(
            group.Key,
            first.SeriesNumber,
            first.Modality,
            first.SeriesDescription,
            first.Rows,
            first.Columns,
            images.Select(i => i.SourcePath ?? i.Path).Distinct().Count(),
            images.Sum(i => i.Frames),
            [.. images.Select(i => i.TransferSyntaxUid).Distinct().Order()],
            [.. images.Select(i => i.EchoTime).OfType<double>().Distinct().Order()],
            kind,
            rule,
            warnings);
    }
}

public sealed record DicomScan(IReadOnlyList<DicomSeriesSummary> Series, IReadOnlyList<DicomFileError> Errors, IReadOnlyList<DicomImage> Images);

/// <summary>A file that could not be read; <see cref="SeriesInstanceUid"/> is known when its header was readable.</summary>
public sealed record DicomFileError(string File, string Error, string? SeriesInstanceUid = null);

public sealed record DicomSeriesSummary(
    string SeriesInstanceUid,
    int? SeriesNumber,
    string Modality,
    string SeriesDescription,
    int Rows,
    int Columns,
    int Files,
    int Frames,
    IReadOnlyList<string> TransferSyntaxes,
    IReadOnlyList<double> EchoTimesMs,
    SeriesKind Classification,
    string ClassificationRule,
    IReadOnlyList<string> Warnings);

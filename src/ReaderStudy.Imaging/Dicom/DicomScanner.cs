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
        var files = Files(paths);
        // Untrusted files are decoded in the worker only; their pixels are decoded again only when they are asked for.
        var verdicts = isolation is null ? null : DicomIsolation.Inspect(files, isolation, splitFolder);
        // Files apart on every core (only GDCM's parse of a file waits for the others, see GdcmWarnings), kept in file order.
        var read = new (IReadOnlyList<DicomImage> Images, DicomFileError? Error)[files.Count];
        var done = 0;
        Parallel.For(0, files.Count, i =>
        {
            read[i] = ReadOne(files[i], verdicts, keepPixels, splitFolder);
            progress?.Report((Interlocked.Increment(ref done), files.Count));
        });
        var images = read.SelectMany(r => r.Images).ToList();
        var errors = read.Select(r => r.Error).OfType<DicomFileError>().ToList();
        var series = images.GroupBy(i => i.SeriesInstanceUid).Select(Summarize).OrderBy(s => s.SeriesNumber ?? int.MaxValue).ToList();
        return new DicomScan(series, errors, images);
    }

    private static (IReadOnlyList<DicomImage>, DicomFileError?) ReadOne(string file, IReadOnlyDictionary<string, WorkerVerdict>? verdicts, bool keepPixels, string? splitFolder)
    {
        if (verdicts is not null && verdicts.TryGetValue(file, out var verdict) && (verdict.Error is not null || !keepPixels))
        {
            return (verdict.Images, verdict.Error);
        }
        try
        {
            return ([.. DicomReader.ReadAll(file, splitFolder).Select(image => keepPixels ? image : image with { StoredValues = [] })], null);
        }
        catch (DicomReadException e)
        {
            return ([], new DicomFileError(file, e.Message, e.SeriesInstanceUid));
        }
    }

    /// <summary>The files a scan of <paramref name="paths"/> reads, in its order.</summary>
    internal static List<string> Files(IEnumerable<string> paths) => paths.SelectMany(Expand).Distinct().Order(StringComparer.Ordinal).ToList();

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

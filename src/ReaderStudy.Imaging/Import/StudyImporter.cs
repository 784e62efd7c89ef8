using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Imaging.Dicom;

namespace ReaderStudy.Imaging.Import;

/// <summary>
/// Brings DICOM files (single files, folders, zip archives) into a study: reads and classifies every
/// series, refuses what does not belong, de-identifies every file, stores it by content and records the
/// series in one transaction per series, so a failure never leaves part of a series behind and importing
/// the same files again changes nothing.
/// </summary>
public sealed class StudyImporter(ReaderStudyDbContext db, IImageStore store, TimeProvider clock)
{
    public async Task<ImportReport> ImportAsync(Guid studyId, IReadOnlyList<string> paths, ImportOptions options,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var study = await db.Studies.SingleOrDefaultAsync(s => s.Id == studyId, cancellationToken)
            ?? throw new InvalidOperationException($"No study {studyId}.");
        if (study.DeidentificationKey.Length == 0)
        {
            study.DeidentificationKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            await db.SaveChangesAsync(cancellationToken);
        }
        var key = Convert.FromBase64String(study.DeidentificationKey);
        var profile = study.Profile;
        using var work = new TemporaryFolder();
        var files = Expand(paths, work.Path, new SafeZip(options.ZipLimits)).ToList();
        // Stored as files, never as decoded pixels: only the headers are kept, whatever the size of the import.
        var scan = DicomScanner.Scan(files, progress is null ? null : new Progress<(int Done, int Total)>(p => progress.Report(new ImportProgress("Reading", p.Done, p.Total))),
            keepPixels: false, isolation: DicomWorker.Current, splitFolder: Path.Combine(work.Path, "frames"));
        var truncatedSeries = scan.Errors.Where(e => e.SeriesInstanceUid is not null).GroupBy(e => e.SeriesInstanceUid!).ToDictionary(g => g.Key, g => g.ToList());

        var outcomes = new List<SeriesImportOutcome>();
        var groups = scan.Images.GroupBy(i => i.SeriesInstanceUid).ToList();
        var done = 0;
        string? stoppedBecause = null;
        foreach (var group in groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var images = group.OrderBy(i => i.EchoTime ?? 0).ThenBy(i => i.SlicePosition()).ToList();
            var summary = scan.Series.Single(s => s.SeriesInstanceUid == group.Key);
            if (stoppedBecause is not null)
            {
                outcomes.Add(NotAttempted(images[0], summary, options, images.Count, $"not attempted: {stoppedBecause}."));
                continue;
            }
            try
            {
                outcomes.Add(await ImportSeriesAsync(studyId, profile, key, images, summary, truncatedSeries.GetValueOrDefault(group.Key), options, work.Path, cancellationToken));
            }
            catch (Exception e) when (StorageFull.Reason(e) is { } full)
            {
                // The series' transaction never committed; what came before it stays whole, nothing after it is tried.
                db.ChangeTracker.Clear();
                stoppedBecause = full;
                outcomes.Add(NotAttempted(images[0], summary, options, images.Count, $"not stored: {full}; nothing of the series was recorded.") with { Status = SeriesImportStatus.Refused });
            }
            progress?.Report(new ImportProgress("Storing", ++done, groups.Count));
        }
        foreach (var (series, errors) in truncatedSeries.Where(t => groups.All(g => g.Key != t.Key)))
        {
            outcomes.Add(new SeriesImportOutcome("", null, "", SeriesKind.Other, "", 0, SeriesImportStatus.Refused,
                $"every file of the series is unreadable: {errors[0].Error}"));
        }
        return new ImportReport(outcomes, scan.Errors, files.Count, stopwatch.Elapsed)
        {
            StoppedBecause = stoppedBecause is null ? null
                : $"The import stopped: {stoppedBecause}. {outcomes.Count(o => o.Status == SeriesImportStatus.Imported)} series stored before it are complete; "
                  + "the others were not stored. Free space and import the same files again: what is stored already is passed over.",
        };
    }

    private static SeriesImportOutcome NotAttempted(DicomImage first, DicomSeriesSummary summary, ImportOptions options, int images, string why) =>
        new(options.Deidentification.CleanDescriptors ? first.SeriesDescription : "", first.SeriesNumber, "", SeriesKind.Other, summary.ClassificationRule, images, SeriesImportStatus.NotAttempted,
            $"{(first.SeriesDescription.Length > 0 ? $"'{first.SeriesDescription}'" : $"series {first.SeriesNumber}")}: {why}");

    private async Task<SeriesImportOutcome> ImportSeriesAsync(Guid studyId, StudyKindProfile profile, byte[] key, List<DicomImage> images, DicomSeriesSummary summary,
        List<DicomFileError>? unreadable, ImportOptions options, string work, CancellationToken cancellationToken)
    {
        var first = images[0];
        var (kind, rule) = SeriesClassifier.ForStudy(profile, summary.Classification, summary.ClassificationRule, first);
        var label = first.SeriesDescription.Length > 0 ? $"'{first.SeriesDescription}'" : $"series {first.SeriesNumber}";
        SeriesImportOutcome Outcome(SeriesImportStatus status, string message, string subject = "") =>
            new(options.Deidentification.CleanDescriptors ? first.SeriesDescription : "", first.SeriesNumber, subject,
                kind, rule, images.Count, status, message);

        if (unreadable is { Count: > 0 })
        {
            return Outcome(SeriesImportStatus.Refused, $"{label}: {unreadable.Count} file(s) unreadable ({unreadable[0].Error}); nothing of the series was stored.");
        }
        if (!profile.Takes(first.Modality) && !(first.Modality.Length == 0 && kind == SeriesKind.Segmentation))
        {
            return Outcome(SeriesImportStatus.Refused, $"{label}: {profile.Refusal(first.Modality)}");
        }
        if (images.Any(i => i.BurnedInAnnotation == "YES"))
        {
            return Outcome(SeriesImportStatus.Refused, $"{label}: Burned In Annotation is YES, so the pixels may show who the patient is; not imported.");
        }
        string Remap(string uid) => DicomUids.FromSeed(Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes("uid:" + uid))));
        var seriesUid = Remap(first.SeriesInstanceUid);
        if (await db.Series.AnyAsync(s => s.StudyId == studyId && s.SeriesInstanceUid == seriesUid, cancellationToken))
        {
            return Outcome(SeriesImportStatus.AlreadyImported, $"{label}: already imported; nothing changed.");
        }

        var patientKey = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("patient:" + PatientIdentity(first))));
        var subject = await db.Subjects.SingleOrDefaultAsync(s => s.StudyId == studyId && s.PatientKey == patientKey, cancellationToken);
        if (subject is null)
        {
            var count = await db.Subjects.CountAsync(s => s.StudyId == studyId, cancellationToken);
            subject = new Subject { StudyId = studyId, PatientKey = patientKey, Pseudonym = $"S-{count + 1:D4}", CreatedAt = clock.GetUtcNow() };
            db.Subjects.Add(subject);
        }

        var series = new ImagingSeries
        {
            StudyId = studyId,
            SubjectId = subject.Id,
            SeriesInstanceUid = seriesUid,
            Modality = first.Modality,
            Description = options.Deidentification.CleanDescriptors ? first.SeriesDescription : "",
            SeriesNumber = first.SeriesNumber,
            Kind = kind,
            KindRule = rule,
            Rows = first.Rows,
            Columns = first.Columns,
            ImageCount = images.Count,
            EchoTimesMs = string.Join(",", summary.EchoTimesMs),
            ImportedAt = clock.GetUtcNow(),
        };
        // De-identified, hashed and stored on every core at once (files apart, so no two threads touch one GDCM object
        // or one file); recorded in the files' order, in the series' one transaction below.
        var stored = new SeriesImage[images.Count];
        await Parallel.ForAsync(0, images.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var image = images[i];
            var clean = Path.Combine(work, Guid.NewGuid().ToString("N") + ".dcm");
            Deidentifier.Deidentify(image.Path, clean, subject.Pseudonym, Remap, options.Deidentification);
            var (hash, bytes) = await store.TakeAsync(clean, ct);
            // A frame of an Enhanced MR file keeps the whole original file (stored once: the store is by content).
            var original = options.KeepOriginals ? (await store.PutAsync(image.SourcePath ?? image.Path, ct)).Hash : null;
            stored[i] = new SeriesImage
            {
                SopInstanceUid = Remap(image.SopInstanceUid),
                ContentHash = hash,
                OriginalHash = original,
                Bytes = bytes,
                InstanceNumber = image.InstanceNumber,
                SlicePosition = image.SlicePosition(),
                EchoTimeMs = image.EchoTime,
            };
        });
        series.Images.AddRange(stored);
        db.Series.Add(series);
        try
        {
            // One save, one transaction: the subject, the series and all its images, or none of them.
            await db.SaveChangesAsync(cancellationToken);
        }
        catch
        {
            db.ChangeTracker.Clear();
            throw;
        }
        db.ChangeTracker.Clear();
        return Outcome(SeriesImportStatus.Imported, $"{label}: {images.Count} image(s) imported for {subject.Pseudonym}.", subject.Pseudonym);
    }

    /// <summary>
    /// Records a series the portal derived from already de-identified data (a fitted or synthetic map): its
    /// files are stored as written, without a second de-identification, under the subject they came from.
    /// </summary>
    public async Task<ImagingSeries> ImportDerivedAsync(Guid studyId, Guid subjectId, string folder, SeriesKind kind, string rule, MapOrigin origin = MapOrigin.Unknown, CancellationToken cancellationToken = default)
    {
        var scan = DicomScanner.Scan([folder], keepPixels: false);
        if (scan.Errors.Count > 0 || scan.Series.Count != 1)
        {
            throw new DicomReadException($"{folder}: a derived series must be one readable series ({scan.Errors.Count} unreadable file(s), {scan.Series.Count} series).");
        }
        var summary = scan.Series[0];
        var images = scan.Images;
        var series = new ImagingSeries
        {
            StudyId = studyId,
            SubjectId = subjectId,
            SeriesInstanceUid = summary.SeriesInstanceUid,
            Modality = summary.Modality,
            Description = summary.SeriesDescription,
            SeriesNumber = summary.SeriesNumber,
            Kind = kind,
            KindRule = rule,
            Rows = summary.Rows,
            Columns = summary.Columns,
            ImageCount = images.Count,
            EchoTimesMs = string.Join(",", summary.EchoTimesMs),
            ImportedAt = clock.GetUtcNow(),
            Origin = origin,
        };
        foreach (var image in images)
        {
            var (hash, bytes) = await store.PutAsync(image.Path, cancellationToken);
            series.Images.Add(new SeriesImage
            {
                SopInstanceUid = image.SopInstanceUid, ContentHash = hash, Bytes = bytes,
                InstanceNumber = image.InstanceNumber, SlicePosition = image.SlicePosition(), EchoTimeMs = image.EchoTime,
            });
        }
        db.Series.Add(series);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return series;
    }

    private static string PatientIdentity(DicomImage image)
    {
        using var reader = new gdcm.Reader();
        reader.SetFileName(image.Path);
        reader.Read();
        var ds = reader.GetFile().GetDataSet();
        return DataSetReader.Text(ds, 0x0010, 0x0020) + "|" + DataSetReader.Text(ds, 0x0010, 0x0010) + "|" + DataSetReader.Text(ds, 0x0010, 0x0030);
    }

    /// <summary>Files under the paths; zip archives are unpacked into the work folder first.</summary>
    private static IEnumerable<string> Expand(IEnumerable<string> paths, string work, SafeZip zip)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    foreach (var expanded in Expand([file], work, zip))
                    {
                        yield return expanded;
                    }
                }
            }
            else if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                var target = Path.Combine(work, "zip-" + Guid.NewGuid().ToString("N"));
                zip.Extract(path, target);
                foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories))
                {
                    yield return file;
                }
            }
            else if (!IsSidecar(path))
            {
                yield return path;
            }
        }
    }

    // Manifests and notes that travel with DICOM folders are not images.
    private static bool IsSidecar(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".json" or ".txt" or ".md" or ".csv" or ".xml";

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("readerstudy-import-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
        }
    }
}

using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Nifti;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Import;

/// <summary>
/// T2 maps that arrive as NIfTI (a model's outputs, a research pipeline's fits): put on the grid of one of the
/// subject's DICOM series, which says where the voxels are, refused when the NIfTI affine disagrees with it, and
/// stored as a DICOM map whose derivation names the file and its hash. A study can then run on a model's outputs
/// without the model.
/// </summary>
public sealed class NiftiMaps(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, TimeProvider clock)
{
    /// <summary>The subjects of a study and the series whose grid a map would be put on by default.</summary>
    public async Task<IReadOnlyList<NiftiMapTarget>> TargetsAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subjects = await db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId).OrderBy(s => s.Pseudonym).ToListAsync(cancellationToken);
        var series = await db.Series.AsNoTracking().Where(s => s.StudyId == studyId).ToListAsync(cancellationToken);
        return [.. subjects.Select(s => new NiftiMapTarget(s.Id, s.Pseudonym, DefaultGrid(series.Where(x => x.SubjectId == s.Id)) is { } grid
            ? $"series {grid.SeriesNumber} ({grid.Kind})" : null))];
    }

    // A map is made on the MESE's grid (a real map is fitted there, a synthetic one is compared there), else on a map's.
    private static ImagingSeries? DefaultGrid(IEnumerable<ImagingSeries> series) =>
        GridsInOrder(series).FirstOrDefault(s => s.Kind is SeriesKind.Mese or SeriesKind.T2Map);

    // MESE first, then maps, then the rest; segmentations never define a grid.
    private static IEnumerable<ImagingSeries> GridsInOrder(IEnumerable<ImagingSeries> series) =>
        series.Where(s => s.Kind != SeriesKind.Segmentation)
            .OrderBy(s => s.Kind == SeriesKind.Mese ? 0 : s.Kind == SeriesKind.T2Map ? 1 : 2).ThenBy(s => s.SeriesNumber);

    public async Task<NiftiMapImported> ImportAsync(Guid studyId, Guid subjectId, string niftiPath, string fileName, MapOrigin origin, Guid? gridSeriesId,
        CancellationToken cancellationToken)
    {
        if (origin == MapOrigin.Unknown)
        {
            throw new StudyRuleException("Say whether the map is real (measured) or synthetic (generated): the study's pairs are built from that.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await OpenSubjectAsync(db, studyId, subjectId, cancellationToken);
        var candidates = await db.Series.AsNoTracking().Include(s => s.Images).Where(s => s.StudyId == studyId && s.SubjectId == subjectId).ToListAsync(cancellationToken);
        var grid = gridSeriesId is { } wanted
            ? candidates.SingleOrDefault(s => s.Id == wanted) ?? throw new StudyRuleException($"Subject {subject.Pseudonym} has no such series to take the grid from.")
            : DefaultGrid(candidates) ?? throw new StudyRuleException($"Subject {subject.Pseudonym} has no MESE series or T2 map whose DICOM geometry would place the NIfTI map; import one first.");
        var gridName = $"series {grid.SeriesNumber} ('{grid.Description}') of {subject.Pseudonym}";

        LoadedVolume volume;
        try
        {
            volume = await LoadGridAsync(grid, gridName, cancellationToken);
        }
        catch (DicomReadException e)
        {
            throw new StudyRuleException($"{gridName} does not form one volume to place the map on: {e.Message}");
        }
        NiftiVolume nifti;
        try
        {
            nifti = NiftiReader.Read(niftiPath);
        }
        catch (NiftiException e)
        {
            throw new StudyRuleException(e.Message.Replace(niftiPath, fileName, StringComparison.Ordinal));
        }
        if (nifti.Volumes > 1)
        {
            throw new StudyRuleException($"{fileName}: {nifti.Volumes} volumes; a map is one 3-D image.");
        }
        float[] values;
        try
        {
            values = NiftiGeometry.OnDicomGrid(nifti, 0, volume.Geometry, gridName);
        }
        catch (NiftiException e)
        {
            throw new StudyRuleException(e.Message.Replace(niftiPath, fileName, StringComparison.Ordinal));
        }
        var notFinite = values.Count(v => !float.IsFinite(v));
        for (var v = 0; v < values.Length; v++)
        {
            values[v] = float.IsFinite(values[v]) ? values[v] : 0;
        }
        var positive = values.Where(v => v > 0).Order().ToArray();
        if (positive.Length > 0 && positive[(int)(positive.Length * 0.99)] < 1)
        {
            throw new StudyRuleException($"{fileName}: 99 % of its positive values are below 1; T2 maps are imported in ms (is it in seconds?).");
        }

        var hash = await HashAsync([niftiPath], cancellationToken);
        if (candidates.FirstOrDefault(s => s.KindRule.Contains(hash[..12], StringComparison.Ordinal)) is { } already)
        {
            throw new StudyRuleException($"{fileName} is already imported for {subject.Pseudonym} as series {already.SeriesNumber}; nothing changed.");
        }
        var first = volume.Slices[0];
        var work = Directory.CreateTempSubdirectory("readerstudy-nifti-map-").FullName;
        try
        {
            var number = 100 * (grid.SeriesNumber ?? 0) + 70 + await db.Series.CountAsync(s => s.SubjectId == subjectId && s.Kind == SeriesKind.T2Map, cancellationToken);
            var info = OnGridOf(subject, first, number, "T2 map (imported from NIfTI)", "DERIVED\\SECONDARY\\T2 MAP",
                $"Imported from NIfTI {fileName} (sha256 {hash}) onto the grid of {gridName}" + (notFinite > 0 ? $"; {notFinite} non-finite voxel(s) set to 0" : "")) with
            {
                Units = "ms",
                QuantityLabel = "T2",
                Sources = [SourceSeries.Of(first.SeriesInstanceUid, volume.Slices)],
            };
            DicomSeriesWriter.Write(work, info, volume.Geometry, values);
            var rule = $"imported from NIfTI {fileName} (sha256 {hash[..12]}), {origin.ToString().ToLowerInvariant()}";
            var series = await new StudyImporter(db, store, clock).ImportDerivedAsync(studyId, subjectId, work, SeriesKind.T2Map, rule, origin, cancellationToken);
            return new NiftiMapImported(series.Id, subject.Pseudonym, gridName, hash, notFinite);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// A MESE echo train held as NIfTI (per-echo files with BIDS sidecars, or one 4-D file), stored as a DICOM MESE
    /// series on the grid of the first of the subject's series it lies on (or of the series named).
    /// </summary>
    public async Task<NiftiMapImported> ImportMeseAsync(Guid studyId, Guid subjectId, string folder, Guid? gridSeriesId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await OpenSubjectAsync(db, studyId, subjectId, cancellationToken);
        string Hidden(string message) => message.Replace(folder + Path.DirectorySeparatorChar, "", StringComparison.Ordinal).Replace(folder, "the upload", StringComparison.Ordinal);
        Imaging.T2Mapping.NiftiMese mese;
        try
        {
            mese = Imaging.T2Mapping.NiftiMese.Load(folder);
        }
        catch (Exception e) when (e is NiftiException or Core.T2Mapping.T2FitException)
        {
            throw new StudyRuleException(Hidden(e.Message));
        }
        var hash = await HashAsync(Directory.GetFiles(folder).Order(StringComparer.Ordinal), cancellationToken);
        var candidates = await db.Series.AsNoTracking().Include(s => s.Images).Where(s => s.StudyId == studyId && s.SubjectId == subjectId).ToListAsync(cancellationToken);
        if (candidates.FirstOrDefault(s => s.KindRule.Contains(hash[..12], StringComparison.Ordinal)) is { } already)
        {
            throw new StudyRuleException($"This echo train is already imported for {subject.Pseudonym} as series {already.SeriesNumber}; nothing changed.");
        }
        var tried = gridSeriesId is { } wanted
            ? [candidates.SingleOrDefault(s => s.Id == wanted) ?? throw new StudyRuleException($"Subject {subject.Pseudonym} has no such series to take the grid from.")]
            : GridsInOrder(candidates).ToList();
        var refusals = new List<string>();
        foreach (var grid in tried)
        {
            var gridName = $"series {grid.SeriesNumber} ('{grid.Description}') of {subject.Pseudonym}";
            var volume = await LoadGridAsync(grid, gridName, cancellationToken);
            List<float[]> echoes;
            try
            {
                var first = mese.FirstEcho;
                echoes = [.. mese.Train.Echoes.Select(values =>
                    NiftiGeometry.OnDicomGrid(first with { Values = values, Dimensions = [first.Nx, first.Ny, first.Nz, 1] }, 0, volume.Geometry, gridName))];
            }
            catch (NiftiException e)
            {
                refusals.Add(Hidden(e.Message));
                continue;
            }
            var work = Directory.CreateTempSubdirectory("readerstudy-nifti-mese-").FullName;
            try
            {
                var source = volume.Slices[0];
                var info = OnGridOf(subject, source, 100 * (grid.SeriesNumber ?? 0) + 90, "MESE (imported from NIfTI)", "DERIVED\\PRIMARY\\M",
                    $"Imported from NIfTI ({mese.Train.EchoTimesMs.Count} echoes, sha256 {hash}) onto the grid of {gridName}");
                for (var e = 0; e < echoes.Count; e++)
                {
                    DicomSeriesWriter.Write(work, info with { EchoTime = mese.Train.EchoTimesMs[e], EchoNumber = e + 1 }, volume.Geometry, echoes[e],
                        firstInstance: e * volume.Geometry.Slices + 1);
                }
                var rule = $"imported from NIfTI ({mese.Train.EchoTimesMs.Count} echoes {string.Join(", ", mese.Train.EchoTimesMs)} ms, sha256 {hash[..12]})";
                var series = await new StudyImporter(db, store, clock).ImportDerivedAsync(studyId, subjectId, work, SeriesKind.Mese, rule, MapOrigin.Unknown, cancellationToken);
                return new NiftiMapImported(series.Id, subject.Pseudonym, gridName, hash, 0);
            }
            finally
            {
                Directory.Delete(work, recursive: true);
            }
        }
        throw new StudyRuleException(tried.Count == 0
            ? $"Subject {subject.Pseudonym} has no DICOM series whose geometry would place the echo train; import one first."
            : $"The echo train lies on none of {subject.Pseudonym}'s series: {string.Join(" ", refusals)}");
    }

    // Only into an open study, and only for one of its subjects.
    private static async Task<Subject> OpenSubjectAsync(ReaderStudyDbContext db, Guid studyId, Guid subjectId, CancellationToken cancellationToken)
    {
        await StudyImports.RequireNotClosedAsync(db, studyId, cancellationToken);
        return await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == subjectId, cancellationToken)
            ?? throw new StudyRuleException("No such subject in this study.");
    }

    /// <summary>A series the portal writes for a subject on the grid of one of its series (same study and frame of reference).</summary>
    private static SeriesInfo OnGridOf(Subject subject, DicomImage grid, int seriesNumber, string description, string imageType, string derivation) => new()
    {
        PatientName = subject.Pseudonym,
        PatientId = subject.Pseudonym,
        StudyInstanceUid = grid.StudyInstanceUid,
        SeriesInstanceUid = DicomUids.New(),
        FrameOfReferenceUid = grid.FrameOfReferenceUid,
        SeriesNumber = seriesNumber,
        SeriesDescription = description,
        ImageType = imageType,
        DerivationDescription = derivation,
    };

    private static async Task<string> HashAsync(IEnumerable<string> files, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            sha.AppendData(await File.ReadAllBytesAsync(file, cancellationToken));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private async Task<LoadedVolume> LoadGridAsync(ImagingSeries grid, string name, CancellationToken cancellationToken)
    {
        // A MESE's grid is that of its first echo.
        var echo = grid.Images.Select(i => i.EchoTimeMs).Distinct().Order().FirstOrDefault();
        var images = new List<DicomImage>();
        foreach (var image in grid.Images.Where(i => i.EchoTimeMs == echo))
        {
            images.Add(DicomReader.Read(await store.GetLocalPathAsync(image.ContentHash, cancellationToken)));
        }
        return VolumeLoader.Stack(images, name);
    }
}

public sealed record NiftiMapTarget(Guid SubjectId, string Pseudonym, string? DefaultGrid);

public sealed record NiftiMapImported(Guid SeriesId, string Subject, string Grid, string Sha256, int NonFiniteVoxels);

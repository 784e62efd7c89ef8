using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Synthesis;
using ReaderStudy.Imaging.Dicom;
using ReaderStudy.Imaging.Import;
using ReaderStudy.Imaging.Synthesis;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Synthesis;

public sealed record SynthesisRequest(Guid SubjectId, Guid GeneratorId);

public sealed record SubjectChoice(Guid Id, string Pseudonym);

public sealed record SynthesisOutcome(Guid SyntheticSeriesId, Guid? RealSeriesId, string Provider, int Slices, double SlicesPerSecond, double Seconds,
    IReadOnlyList<string> CoRegistered);

/// <summary>
/// Generates a subject's synthetic image (a T2 map, a CT, …) with a registered generator and stores it as a
/// synthetic series of the study, of the kind the study compares.
/// </summary>
public sealed class SyntheticMapService(IDbContextFactory<ReaderStudyDbContext> dbFactory, IImageStore store, GeneratorRegistry registry, TimeProvider clock, Hosting.PortalMetrics metrics)
{
    public Task<IReadOnlyList<SubjectChoice>> SubjectsAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SubjectsOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<SubjectChoice>> SubjectsOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Subjects.AsNoTracking().Where(s => s.StudyId == studyId).OrderBy(s => s.Pseudonym)
            .Select(s => new SubjectChoice(s.Id, s.Pseudonym)).ToListAsync(cancellationToken);
    }

    public async Task<SynthesisOutcome> GenerateAsync(Guid studyId, SynthesisRequest request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == request.SubjectId, cancellationToken)
            ?? throw new StudyRuleException("No such subject in this study.");
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        var profile = study.Profile;
        var model = await registry.OpenAsync(request.GeneratorId, cancellationToken);
        var output = model.Manifest.Output;
        if (profile.Kind == Core.Studies.StudyKind.QuantitativeMap ? !output.IsT2Map : output.IsT2Map || !profile.ComparedModalities.Contains(output.Modality))
        {
            throw new StudyRuleException($"{model.Manifest.Name} makes {output.Describe()}; this {profile.Title} study compares {profile.ComparedNoun} images ({string.Join(", ", profile.ComparedModalities)}).");
        }
        var anatomic = await db.Series.Include(s => s.Images).AsNoTracking()
            .Where(s => s.SubjectId == subject.Id && s.Kind == SeriesKind.Anatomic).ToListAsync(cancellationToken);
        var work = Directory.CreateTempSubdirectory("readerstudy-synth-").FullName;
        try
        {
            // The stored files are read where they lie: no copy per generation.
            var inputs = new List<IReadOnlyList<string>>();
            foreach (var channel in model.Manifest.Channels)
            {
                var series = anatomic.FirstOrDefault(s => string.Equals(s.Description, channel.Series, StringComparison.OrdinalIgnoreCase))
                    ?? throw new StudyRuleException($"{subject.Pseudonym} has no anatomic series '{channel.Series}', which {model.Manifest.Name} takes as input {inputs.Count + 1}; its anatomic series are {string.Join(", ", anatomic.Select(s => $"'{s.Description}'"))}.");
                var paths = new List<string>();
                foreach (var image in series.Images)
                {
                    paths.Add(await store.GetLocalPathAsync(image.ContentHash, cancellationToken));
                }
                inputs.Add(paths);
            }
            // Made on the grid of the subject's real image (else any of its compared images not marked synthetic), so the
            // two are compared slice by slice in the viewer and voxel by voxel in the statistics.
            var real = (await db.Series.AsNoTracking()
                .Where(s => s.SubjectId == subject.Id && s.Kind == profile.ComparedKind && s.Origin != MapOrigin.Synthetic)
                .Select(s => new { s.Id, s.Origin, s.ImportedAt }).ToListAsync(cancellationToken))
                .OrderByDescending(s => s.Origin == MapOrigin.Real).ThenByDescending(s => s.ImportedAt).FirstOrDefault();
            List<string>? grid = null;
            if (real is not null)
            {
                grid = [];
                foreach (var hash in await db.SeriesImages.Where(i => i.SeriesId == real.Id).Select(i => i.ContentHash).ToListAsync(cancellationToken))
                {
                    grid.Add(await store.GetLocalPathAsync(hash, cancellationToken));
                }
            }
            var folder = Path.Combine(work, "synthetic");
            SyntheticMapPipeline.Result done;
            try
            {
                done = await Task.Run(() => SyntheticMapPipeline.Run(model, inputs, folder, gridOf: grid), cancellationToken);
            }
            catch (Exception e) when (e is GeneratorException or DicomReadException)
            {
                throw new StudyRuleException(e.Message);
            }
            metrics.SubjectSynthesized(done.Provider, done.Total.TotalSeconds);
            var rule = $"synthesized by {model.Manifest.Name} {model.Manifest.Version} (sha256 {model.Sha256}) on {done.Provider}";
            var synthetic = await new StudyImporter(db, store, clock).ImportDerivedAsync(studyId, subject.Id, folder, profile.ComparedKind, rule, MapOrigin.Synthetic, cancellationToken);
            return new SynthesisOutcome(synthetic.Id, real?.Id, done.Provider, done.Slices, Math.Round(done.SlicesPerSecond, 2), Math.Round(done.Total.TotalSeconds, 3), done.CoRegistered);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

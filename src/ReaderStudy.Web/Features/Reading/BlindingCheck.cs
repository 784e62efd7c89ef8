using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Reading.Blinding;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// Runs the leak detector on exactly what readers' browsers receive (<see cref="ReadingImages"/>), for the trials
/// of an open study or, for a draft, the trials opening would draw. A study whose check finds a leak does not open
/// unless its coordinator writes why.
/// </summary>
public sealed class BlindingCheck(IDbContextFactory<ReaderStudyDbContext> dbFactory, ReadingImages images)
{
    public async Task<BlindingReport> CheckAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken);
        var trials = await db.Trials.AsNoTracking().Where(t => t.StudyId == studyId).ToListAsync(cancellationToken);
        var planned = trials.Count == 0;
        if (planned)
        {
            // Drawn in this context and never saved: the trials opening would draw, from the study's recorded seed.
            trials = [.. await ReadingDesign.DrawTrialsAsync(db, study, cancellationToken)];
        }
        return await CheckAsync(db, study, trials, planned, cancellationToken);
    }

    /// <summary>Checks <paramref name="trials"/> (saved or about to be) of <paramref name="study"/>.</summary>
    public async Task<BlindingReport> CheckAsync(ReaderStudyDbContext db, Study study, IReadOnlyList<Trial> trials, bool planned, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var presentation = study.Presentation();
        var caseIds = trials.Select(t => t.CaseId).ToHashSet();
        var cases = await db.Cases.AsNoTracking().Where(c => c.StudyId == study.Id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var tokenLength = trials.Select(t => t.LeftImageToken.Length).DefaultIfEmpty(32).Max();
        var served = new List<ServedCase>();
        foreach (var readingCase in cases.Where(c => caseIds.Contains(c.Id)))
        {
            var (real, synthetic) = await images.ServeCaseAsync(study, readingCase, tokenLength, cancellationToken);
            var features = await Task.WhenAll(Task.Run(() => ImageFeatures.Measure(real, presentation), cancellationToken), Task.Run(() => ImageFeatures.Measure(synthetic, presentation), cancellationToken));
            served.Add(new ServedCase(readingCase.Number, features[0], features[1]));
        }
        var numbers = cases.ToDictionary(c => c.Id, c => c.Number);
        var report = LeakDetector.Detect(served, [.. trials.Select(t => new BlindingTrial(numbers[t.CaseId], t.RealOnLeft))], study.ReadingMode.ShowsOneImage());
        var views = served.Select(c => new ServedCaseView(c.CaseNumber, Describe(c.Real), Describe(c.Synthetic))).ToList();
        return new BlindingReport(trials.Count, served.Count, planned, presentation.Summary(), views, report, Math.Round(clock.Elapsed.TotalSeconds, 2));
    }

    private static string Describe(ImageFeatures image) => string.Create(CultureInfo.InvariantCulture,
        $"{image.Numbers["smallest positive value"]:0.###}-{image.Numbers["largest value"]:0.###} ms, step {image.Numbers["quantization step"]:0.####} ms, {image.Numbers["fraction of zeros"]:P0} background, {image.Numbers["slices served"]} slices");
}

using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>The coordinator's view of a reading study: settings, series origins, progress, the blinding check and, once closed, the key.</summary>
public sealed class ReadingOversight(IDbContextFactory<ReaderStudyDbContext> dbFactory, ReadingImages images)
{
    public async Task ChangeSettingsAsync(Guid studyId, ReadingSettingsChange change, CancellationToken cancellationToken = default)
    {
        if (!(change.DisplayMin < change.DisplayMax))
        {
            throw new StudyRuleException($"The display range {change.DisplayMin} to {change.DisplayMax} ms is empty.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken);
        if (study.State != StudyState.Draft)
        {
            throw new StudyRuleException("The reading design can only change while the study is a draft.");
        }
        if (change.RepeatedCases < 0)
        {
            throw new StudyRuleException("The number of repeated cases cannot be negative.");
        }
        (study.ReadingMode, study.AllowAnswerChanges, study.DisplayMin, study.DisplayMax, study.RepeatedCases) =
            (change.Mode, change.AllowAnswerChanges, change.DisplayMin, change.DisplayMax, change.RepeatedCases);
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<ReadingSettingsChange> SettingsAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Studies.Where(s => s.Id == studyId)
            .Select(s => new ReadingSettingsChange(s.ReadingMode, s.AllowAnswerChanges, s.DisplayMin, s.DisplayMax, s.RepeatedCases)).SingleAsync(cancellationToken);
    }

    public async Task<bool> SetOriginAsync(Guid studyId, Guid seriesId, MapOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var series = await db.Series.SingleOrDefaultAsync(s => s.StudyId == studyId && s.Id == seriesId, cancellationToken);
        if (series is null)
        {
            return false;
        }
        series.Origin = origin;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<ReaderProgress>> ProgressAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Trials.AsNoTracking().Where(t => t.StudyId == studyId)
            .Join(db.Users, t => t.ReaderId, u => u.Id, (t, u) => new { u.Email, Submitted = t.SubmittedAt != null, t.SecondsSpent })
            .ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Email).OrderBy(g => g.Key)
            .Select(g => new ReaderProgress(g.Key!, g.Count(r => r.Submitted), g.Count(), Math.Round(g.Sum(r => r.SecondsSpent) / 60, 1)))];
    }

    public async Task<IReadOnlyList<CaseProgress>> ProgressByCaseAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await (from t in db.Trials.AsNoTracking()
                          join c in db.Cases on t.CaseId equals c.Id
                          join s in db.Subjects on c.SubjectId equals s.Id
                          where t.StudyId == studyId
                          select new { c.Number, s.Pseudonym, Submitted = t.SubmittedAt != null }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => (r.Number, r.Pseudonym)).OrderBy(g => g.Key.Number)
            .Select(g => new CaseProgress(g.Key.Number, g.Key.Pseudonym, g.Count(r => r.Submitted), g.Count()))];
    }

    /// <summary>The randomization key; it exists for analysis only after the study closes.</summary>
    public async Task<IReadOnlyList<TrialKey>> KeyAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        if (study.State != StudyState.Closed)
        {
            throw new StudyRuleException("The randomization key is sealed until the study closes.");
        }
        var rows = await (from t in db.Trials.AsNoTracking()
                          join c in db.Cases on t.CaseId equals c.Id
                          join s in db.Subjects on c.SubjectId equals s.Id
                          join u in db.Users on t.ReaderId equals u.Id
                          where t.StudyId == studyId
                          select new TrialKey(t.Id, u.Email!, c.Number, s.Pseudonym, t.Position, t.RealOnLeft, t.Seed)).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.Reader).ThenBy(r => r.Position)];
    }

    /// <summary>
    /// Builds, for every trial, what the reader's browser receives for each image and reports anything
    /// but the pixel values that differs between the real and the synthetic one.
    /// </summary>
    public async Task<BlindingReport> CheckBlindingAsync(Guid studyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trials = await (from t in db.Trials.AsNoTracking()
                            join c in db.Cases on t.CaseId equals c.Id
                            join u in db.Users on t.ReaderId equals u.Id
                            where t.StudyId == studyId
                            select new { t.ReaderId, u.Email, t.Position, c.Number, t.LeftImageToken, t.RightImageToken, t.RealOnLeft }).ToListAsync(cancellationToken);
        if (trials.Count == 0)
        {
            throw new StudyRuleException("There are no trials to check yet: open the study (or check again once readers are assigned).");
        }
        var findings = new List<BlindingFinding>();
        foreach (var trial in trials)
        {
            var (realToken, syntheticToken) = trial.RealOnLeft ? (trial.LeftImageToken, trial.RightImageToken) : (trial.RightImageToken, trial.LeftImageToken);
            var real = await ReceivedAsync(trial.ReaderId, realToken, cancellationToken);
            var synthetic = await ReceivedAsync(trial.ReaderId, syntheticToken, cancellationToken);
            foreach (var difference in Compare(real, synthetic))
            {
                findings.Add(new BlindingFinding(trial.Number, trial.Email!, trial.Position, difference));
            }
        }
        return new BlindingReport(trials.Count, findings);
    }

    private async Task<Received> ReceivedAsync(string readerId, string token, CancellationToken cancellationToken)
    {
        var image = await images.ResolveAsync(readerId, token, cancellationToken)
            ?? throw new StudyRuleException("A trial's image could not be resolved; the trials are inconsistent.");
        var json = await images.DescribeAsync(image, token, cancellationToken) ?? "{}";
        var description = JsonNode.Parse(json)!.AsObject();
        // The slice address carries the token, random by design; compare its shape, not its value.
        description["sliceUrlTemplate"] = description["sliceUrlTemplate"]!.GetValue<string>().Replace(token, new string('x', token.Length), StringComparison.Ordinal);
        var slices = description["slices"]!.GetValue<int>();
        var sizes = new List<int>();
        for (var i = 0; i < slices; i++)
        {
            sizes.Add((await images.SliceAsync(image, i, cancellationToken))?.Length ?? -1);
        }
        return new Received(description, sizes, token.Length);
    }

    private static IEnumerable<string> Compare(Received real, Received synthetic)
    {
        foreach (var key in real.Description.Select(p => p.Key).Union(synthetic.Description.Select(p => p.Key)).Order())
        {
            var (a, b) = (real.Description[key]?.ToJsonString(), synthetic.Description[key]?.ToJsonString());
            if (a != b)
            {
                yield return $"'{key}' differs: real {a ?? "absent"}, synthetic {b ?? "absent"}";
            }
        }
        if (!real.SliceBytes.SequenceEqual(synthetic.SliceBytes))
        {
            yield return "slice sizes differ";
        }
        if (real.TokenLength != synthetic.TokenLength)
        {
            yield return "image token lengths differ";
        }
    }

    private sealed record Received(JsonObject Description, IReadOnlyList<int> SliceBytes, int TokenLength);
}

using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>
/// A reader's session: their own trials in their own order, answers saved the moment they are given,
/// cases locked once submitted. Every method checks that the trial is the caller's; another reader's
/// trial is reported as not found, so its existence is not revealed either. Each method is one unit of work,
/// run again on a transient database failure (<see cref="DatabaseRetry"/>).
/// </summary>
public sealed class ReadingService(IDbContextFactory<ReaderStudyDbContext> dbFactory, TimeProvider clock, Hosting.PortalMetrics metrics)
{
    private static string ReaderId(ClaimsPrincipal reader) => reader.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";

    /// <summary>The caller's own progress in each study they read: cases submitted of their trials, and minutes spent.</summary>
    public Task<IReadOnlyDictionary<Guid, MyProgress>> MyProgressAsync(ClaimsPrincipal reader, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => MyProgressOnceAsync(reader, ct), cancellationToken);

    private async Task<IReadOnlyDictionary<Guid, MyProgress>> MyProgressOnceAsync(ClaimsPrincipal reader, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var readerId = ReaderId(reader);
        var trials = await db.Trials.AsNoTracking().Where(t => t.ReaderId == readerId)
            .Select(t => new { t.StudyId, Submitted = t.SubmittedAt != null, t.SecondsSpent }).ToListAsync(cancellationToken);
        return trials.GroupBy(t => t.StudyId).ToDictionary(g => g.Key,
            g => new MyProgress(g.Count(t => t.Submitted), g.Count(), Math.Round(g.Sum(t => t.SecondsSpent) / 60, 1)));
    }

    public Task<ReaderSession> SessionAsync(ClaimsPrincipal reader, Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SessionOnceAsync(reader, studyId, ct), cancellationToken);

    private async Task<ReaderSession> SessionOnceAsync(ClaimsPrincipal reader, Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == studyId, cancellationToken);
        if (study.State != StudyState.Open)
        {
            throw new StudyRuleException(study.State == StudyState.Draft ? "This study is not open for reading yet." : "This study is closed; thank you for reading.");
        }
        var readerId = ReaderId(reader);
        var questions = await db.Questions.AsNoTracking().Where(q => q.StudyId == studyId).OrderBy(q => q.Order).ToListAsync(cancellationToken);
        var opensAt = await SecondBlockOpensAtAsync(db, study, readerId, cancellationToken);
        var trials = (await db.Trials.AsNoTracking().Where(t => t.StudyId == studyId && t.ReaderId == readerId).OrderBy(t => t.Position)
            .Select(t => new { t.Id, t.Position, Submitted = t.SubmittedAt != null, t.Block }).ToListAsync(cancellationToken))
            .Select(t => new ReaderTrialSummary(t.Id, t.Position, t.Submitted, t.Block == 2 ? opensAt : null)).ToList();
        return new ReaderSession(study.Id, study.Name, study.ReadingMode, study.AllowAnswerChanges,
            [.. questions.Select(q => new ReaderQuestion(q.Id, q.Kind, q.Text, [.. q.Options.Split('|', StringSplitOptions.RemoveEmptyEntries)], q.Required, q.PerImage))],
            trials, study.Profile.Quantity, study.Profile.Units);
    }

    public Task<ReaderTrial?> TrialAsync(ClaimsPrincipal reader, Guid trialId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => TrialOnceAsync(reader, trialId, ct), cancellationToken);

    private async Task<ReaderTrial?> TrialOnceAsync(ClaimsPrincipal reader, Guid trialId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await OwnTrialAsync(db, reader, trialId, cancellationToken);
        if (trial is null)
        {
            return null;
        }
        await RequireAvailableAsync(db, trial, cancellationToken);
        if (trial.OpenedAt is null)
        {
            trial.OpenedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }
        var total = await db.Trials.CountAsync(t => t.StudyId == trial.StudyId && t.ReaderId == trial.ReaderId, cancellationToken);
        var answers = await db.Answers.AsNoTracking().Where(a => a.TrialId == trialId)
            .Select(a => new AnswerInput(a.QuestionId, a.Side, a.Value)).ToListAsync(cancellationToken);
        var context = await ReadingContext.FindAsync(db, trial.ReaderId, trialId, cancellationToken);
        return new ReaderTrial(trial.Id, trial.Position, total, $"/api/reading/images/{trial.LeftImageToken}/volume", $"/api/reading/images/{trial.RightImageToken}/volume",
            answers, trial.SubmittedAt is not null, await LastSliceAsync(db, trialId, cancellationToken),
            context is null ? null : ReadingContext.VolumeUrl(trialId), context?.Description);
    }

    // The slice the reader last scrolled to in this case, from the viewer's own event log, so a case reopens where it was left.
    private static async Task<int?> LastSliceAsync(ReaderStudyDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var detail = await db.ViewerEvents.AsNoTracking().Where(e => e.TrialId == trialId && e.Kind == "slice")
            .OrderByDescending(e => e.Id).Select(e => e.Detail).FirstOrDefaultAsync(cancellationToken);
        try
        {
            return detail is not null && System.Text.Json.JsonDocument.Parse(detail).RootElement.TryGetProperty("slice", out var slice) && slice.TryGetInt32(out var index) && index >= 0
                ? index : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public Task SaveAnswerAsync(ClaimsPrincipal reader, Guid trialId, AnswerInput input, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SaveAnswerOnceAsync(reader, trialId, input, ct), cancellationToken);

    private async Task SaveAnswerOnceAsync(ClaimsPrincipal reader, Guid trialId, AnswerInput input, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var trial = await OwnTrialAsync(db, reader, trialId, cancellationToken) ?? throw new KeyNotFoundException();
            var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == trial.StudyId, cancellationToken);
            if (study.State != StudyState.Open)
            {
                throw new StudyRuleException("The study is not open for reading; answers cannot change.");
            }
            if (trial.SubmittedAt is not null && !study.AllowAnswerChanges)
            {
                throw new StudyRuleException($"Case {trial.Position} is submitted and locked; this study does not allow changes.");
            }
            await RequireAvailableAsync(db, trial, cancellationToken, study);
            var question = await db.Questions.AsNoTracking().SingleOrDefaultAsync(q => q.Id == input.QuestionId && q.StudyId == trial.StudyId, cancellationToken)
                ?? throw new StudyRuleException("That question is not part of this study.");
            var side = Validate(question, study.ReadingMode, input.Side, input.Value);
            var answer = await db.Answers.SingleOrDefaultAsync(a => a.TrialId == trialId && a.QuestionId == question.Id && a.Side == side, cancellationToken);
            var changed = answer is null || answer.Value != input.Value.Trim();
            if (answer is null)
            {
                db.Answers.Add(new Answer { StudyId = trial.StudyId, TrialId = trialId, QuestionId = question.Id, Side = side, Value = input.Value.Trim(), AnsweredAt = clock.GetUtcNow() });
            }
            else if (answer.Value != input.Value.Trim())
            {
                answer.Value = input.Value.Trim();
                answer.AnsweredAt = clock.GetUtcNow();
                answer.Revisions++;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (changed)
                {
                    metrics.AnswerSaved();
                }
                return;
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Two saves of the same answer raced (two tabs, a retried request): the unique index kept
                // one row; save again as an update of it.
            }
        }
    }

    /// <summary>
    /// Answers the form's annotation question for the image in <paramref name="pane"/> with the point the
    /// reader marked and the mean T2 within 3 pixels of it, read from what that reader was served.
    /// </summary>
    public Task<AnnotationValue?> AnnotateAsync(ClaimsPrincipal reader, Guid trialId, int pane, int slice, int column, int row, ReadingImages images, CancellationToken cancellationToken = default) =>
        AnnotateWithAsync(reader, trialId, pane, slice, images, cancellationToken,
            s => new AnnotationValue(slice, column, row, 3, Math.Round(AnnotationValue.MeanAround(s.Values, s.Rows, s.Columns, column, row, 3), 2)));

    /// <summary>The reader drew an ellipse: the answer is its shape with the mean, SD, voxel count and area of what it encloses.</summary>
    public Task<AnnotationValue?> AnnotateEllipseAsync(ClaimsPrincipal reader, Guid trialId, int pane, int slice, int column, int row, int radiusColumns, int radiusRows,
        ReadingImages images, CancellationToken cancellationToken = default) =>
        radiusColumns < 1 || radiusRows < 1 ? Task.FromResult<AnnotationValue?>(null) : AnnotateWithAsync(reader, trialId, pane, slice, images, cancellationToken,
            s => AnnotationValue.InEllipse(s.Values, s.Rows, s.Columns, slice, column, row, radiusColumns, radiusRows, s.RowSpacing, s.ColumnSpacing));

    /// <summary>The reader drew a freehand outline or a length (points as column, row pairs): measured as the annotation answer.</summary>
    public Task<AnnotationValue?> AnnotateShapeAsync(ClaimsPrincipal reader, Guid trialId, int pane, int slice, string shape, int[][] points,
        ReadingImages images, CancellationToken cancellationToken = default) => shape switch
    {
        AnnotationValue.Polygon => AnnotateWithAsync(reader, trialId, pane, slice, images, cancellationToken,
            s => AnnotationValue.InPolygon(s.Values, s.Rows, s.Columns, slice, points, s.RowSpacing, s.ColumnSpacing)),
        AnnotationValue.Length => AnnotateWithAsync(reader, trialId, pane, slice, images, cancellationToken,
            s => AnnotationValue.Along(s.Values, s.Rows, s.Columns, slice, points, s.RowSpacing, s.ColumnSpacing)),
        _ => Task.FromResult<AnnotationValue?>(null),
    };

    private sealed record ServedSlice(float[] Values, int Rows, int Columns, double RowSpacing, double ColumnSpacing);

    // The slice as this reader was served it (so the statistics are of what the reader saw), measured and saved as the annotation answer.
    private async Task<AnnotationValue?> AnnotateWithAsync(ClaimsPrincipal reader, Guid trialId, int pane, int slice, ReadingImages images, CancellationToken cancellationToken,
        Func<ServedSlice, AnnotationValue?> measure)
    {
        Trial? trial;
        Question? question;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            trial = await OwnTrialAsync(db, reader, trialId, cancellationToken);
            question = trial is null ? null : await db.Questions.AsNoTracking().Where(q => q.StudyId == trial.StudyId && q.Kind == QuestionKind.Annotation)
                .OrderBy(q => q.Order).FirstOrDefaultAsync(cancellationToken);
        }
        if (trial is null || question is null)
        {
            return null;
        }
        var token = pane == 0 ? trial.LeftImageToken : trial.RightImageToken;
        var image = await images.ResolveAsync(trial.ReaderId, token, cancellationToken);
        var bytes = image is null ? null : await images.SliceAsync(image, slice, cancellationToken);
        var description = image is null ? null : await images.DescribeAsync(image, token, cancellationToken);
        if (bytes is null || description is null)
        {
            return null;
        }
        var geometry = System.Text.Json.JsonDocument.Parse(description).RootElement;
        var values = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        var annotation = measure(new ServedSlice(values, geometry.GetProperty("rows").GetInt32(), geometry.GetProperty("columns").GetInt32(),
            geometry.GetProperty("rowSpacing").GetDouble(), geometry.GetProperty("columnSpacing").GetDouble()));
        if (annotation is null)
        {
            return null;
        }
        await SaveAnswerAsync(reader, trialId, new AnswerInput(question.Id, question.PerImage ? (pane == 0 ? "left" : "right") : "", annotation.ToJson()), cancellationToken);
        return annotation;
    }

    public Task<SubmitResult> SubmitAsync(ClaimsPrincipal reader, Guid trialId, double secondsSpent, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => SubmitOnceAsync(reader, trialId, secondsSpent, ct), cancellationToken);

    private async Task<SubmitResult> SubmitOnceAsync(ClaimsPrincipal reader, Guid trialId, double secondsSpent, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var trial = await OwnTrialAsync(db, reader, trialId, cancellationToken) ?? throw new KeyNotFoundException();
        await RequireAvailableAsync(db, trial, cancellationToken);
        var questions = await db.Questions.AsNoTracking().Where(q => q.StudyId == trial.StudyId && q.Required).ToListAsync(cancellationToken);
        var answered = await db.Answers.AsNoTracking().Where(a => a.TrialId == trialId).Select(a => new { a.QuestionId, a.Side }).ToListAsync(cancellationToken);
        var missing = questions.Where(q => (q.PerImage ? ["left", "right"] : new[] { "" }).Any(side => !answered.Contains(new { QuestionId = q.Id, Side = side }))).ToList();
        if (missing.Count > 0)
        {
            throw new StudyRuleException($"Please answer: {string.Join("; ", missing.Select(q => q.Text))}.");
        }
        var study = await db.Studies.AsNoTracking().SingleAsync(s => s.Id == trial.StudyId, cancellationToken);
        if (study.State != StudyState.Open)
        {
            throw new StudyRuleException("The study is not open for reading; nothing can be submitted.");
        }
        // A second submit of a locked case (a double click, a retried request) changes nothing, time included.
        if (trial.SubmittedAt is null || study.AllowAnswerChanges)
        {
            trial.SubmittedAt ??= clock.GetUtcNow();
            trial.SecondsSpent += Math.Clamp(secondsSpent, 0, 24 * 3600);
            await db.SaveChangesAsync(cancellationToken);
        }
        var mine = await db.Trials.AsNoTracking().Where(t => t.StudyId == trial.StudyId && t.ReaderId == trial.ReaderId).OrderBy(t => t.Position).ToListAsync(cancellationToken);
        var next = mine.FirstOrDefault(t => t.SubmittedAt is null && t.Position > trial.Position) ?? mine.FirstOrDefault(t => t.SubmittedAt is null);
        return new SubmitResult(next?.Id, mine.Count(t => t.SubmittedAt is not null), mine.Count);
    }

    /// <summary>Time on a case left without submitting (a tab closed, another case opened).</summary>
    public Task AddTimeAsync(ClaimsPrincipal reader, Guid trialId, double seconds, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => AddTimeOnceAsync(reader, trialId, seconds, ct), cancellationToken);

    private async Task AddTimeOnceAsync(ClaimsPrincipal reader, Guid trialId, double seconds, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await OwnTrialAsync(db, reader, trialId, cancellationToken) is { } trial && seconds > 0 && await IsOpenAsync(db, trial.StudyId, cancellationToken)
            && (trial.SubmittedAt is null || await db.Studies.AnyAsync(s => s.Id == trial.StudyId && s.AllowAnswerChanges, cancellationToken)))
        {
            trial.SecondsSpent += Math.Min(seconds, 24 * 3600);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    public Task<bool> LogEventsAsync(ClaimsPrincipal reader, Guid trialId, IReadOnlyList<ViewerEventInput> events, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => LogEventsOnceAsync(reader, trialId, events, ct), cancellationToken);

    private async Task<bool> LogEventsOnceAsync(ClaimsPrincipal reader, Guid trialId, IReadOnlyList<ViewerEventInput> events, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A closed study's trials take no more viewer events.
        if (await OwnTrialAsync(db, reader, trialId, cancellationToken) is not { } trial || !await IsOpenAsync(db, trial.StudyId, cancellationToken))
        {
            return false;
        }
        // A malformed batch (a null entry, a missing field) loses only those entries, never the request.
        db.ViewerEvents.AddRange(events.Where(e => e is { Kind: not null, Detail: not null }).Take(500).Select(e => new ViewerEvent
        {
            TrialId = trialId, At = clock.GetUtcNow(), Kind = e.Kind[..Math.Min(32, e.Kind.Length)], Detail = e.Detail[..Math.Min(500, e.Detail.Length)],
        }));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Diagnostic reading: when the reader's second block opens, null when it is open. It waits until every case of
    /// the first block is submitted (then <see cref="DateTimeOffset.MaxValue"/>) and the washout has passed since the last.
    /// </summary>
    private async Task<DateTimeOffset?> SecondBlockOpensAtAsync(ReaderStudyDbContext db, Study study, string readerId, CancellationToken cancellationToken)
    {
        if (study.ReadingMode != ReadingMode.Diagnostic)
        {
            return null;
        }
        var first = await db.Trials.AsNoTracking().Where(t => t.StudyId == study.Id && t.ReaderId == readerId && t.Block == 1).Select(t => t.SubmittedAt).ToListAsync(cancellationToken);
        if (first.Any(s => s is null))
        {
            return DateTimeOffset.MaxValue;
        }
        var opens = first.Max()!.Value.AddDays(study.DiagnosticWashoutDays);
        return opens > clock.GetUtcNow() ? opens : null;
    }

    private async Task RequireAvailableAsync(ReaderStudyDbContext db, Trial trial, CancellationToken cancellationToken, Study? study = null)
    {
        if (trial.Block != 2)
        {
            return;
        }
        study ??= await db.Studies.AsNoTracking().SingleAsync(s => s.Id == trial.StudyId, cancellationToken);
        if (await SecondBlockOpensAtAsync(db, study, trial.ReaderId, cancellationToken) is { } opens)
        {
            throw new StudyRuleException(WashoutMessage(opens));
        }
    }

    /// <summary>What a reader is told about a case of the second block that is not open yet.</summary>
    public static string WashoutMessage(DateTimeOffset opens) => opens == DateTimeOffset.MaxValue
        ? "This case belongs to the second session, which opens once every case of the first session is submitted."
        : $"This case belongs to the second session, which opens on {opens:yyyy-MM-dd HH:mm} UTC, after the washout.";

    private static Task<bool> IsOpenAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken) =>
        db.Studies.AnyAsync(s => s.Id == studyId && s.State == StudyState.Open, cancellationToken);

    private static Task<Trial?> OwnTrialAsync(ReaderStudyDbContext db, ClaimsPrincipal reader, Guid trialId, CancellationToken cancellationToken)
    {
        var readerId = ReaderId(reader);
        return db.Trials.SingleOrDefaultAsync(t => t.Id == trialId && t.ReaderId == readerId, cancellationToken);
    }

    /// <summary>The side key for storage, after checking the value suits the question.</summary>
    private static string Validate(Question question, ReadingMode mode, string side, string value)
    {
        side = (side ?? "").Trim().ToLowerInvariant();
        if (question.PerImage ? side is not ("left" or "right") : side.Length > 0)
        {
            throw new StudyRuleException(question.PerImage ? $"'{question.Text}' is asked for the left and the right image: say which." : $"'{question.Text}' is asked once per case.");
        }
        value = (value ?? "").Trim();
        var valid = question.Kind switch
        {
            QuestionKind.WhichIsReal => mode == ReadingMode.SingleRealOrSynthetic ? value is "real" or "synthetic" : value is "left" or "right",
            QuestionKind.Likert => value is "1" or "2" or "3" or "4" or "5",
            QuestionKind.YesNo => value is "yes" or "no",
            QuestionKind.Choice => question.Options.Split('|').Contains(value),
            QuestionKind.Number => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n),
            QuestionKind.Annotation => AnnotationValue.TryParse(value, out _),
            _ => value.Length is > 0 and <= 4000,
        };
        return valid ? side : throw new StudyRuleException($"'{value}' is not an answer to '{question.Text}'.");
    }
}

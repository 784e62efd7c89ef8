using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.Studies;

namespace ReaderStudy.Web.Features.Reading;

/// <summary>The coordinator's side of reading: the question form, the cases, and each reader's trials when the study opens.</summary>
public sealed class ReadingDesign(IDbContextFactory<ReaderStudyDbContext> dbFactory)
{
    /// <summary>
    /// The form of the published knee T2 reader study: which is real and how sure, then SNR, sharpness, artifacts and
    /// diagnostic quality of each image; worded for the study's kind of image (a T2 map, a CT, a mammogram).
    /// </summary>
    public static IReadOnlyList<Question> DefaultQuestions(Guid studyId, ReadingMode mode, string finding = "", StudyKindProfile? profile = null)
    {
        profile ??= StudyKindProfile.QuantitativeMap;
        var noun = profile.ComparedNoun;
        var questions = new List<Question>();
        void Add(QuestionKind kind, string text, string options = "", bool perImage = false, bool required = true) =>
            questions.Add(new Question { StudyId = studyId, Order = questions.Count + 1, Kind = kind, Text = text, Options = options, PerImage = perImage && mode == ReadingMode.PairedWhichIsReal, Required = required });
        if (mode == ReadingMode.Diagnostic)
        {
            // The first question is the diagnostic rating the MRMC analysis uses (see ResultsService).
            Add(QuestionKind.Likert, $"{(finding.Length > 0 ? finding : "The finding")}: how confident are you that it is present?", "definitely absent|definitely present");
            Add(QuestionKind.Likert, "Overall diagnostic quality", "non-diagnostic|excellent");
            return questions;
        }
        if (mode != ReadingMode.GradingOnly)
        {
            Add(QuestionKind.WhichIsReal, mode == ReadingMode.PairedWhichIsReal ? $"Which image is the real {noun}?" : $"Is this {noun} real or synthetic?");
            Add(QuestionKind.Likert, "How confident are you?", "guessing|certain");
        }
        Add(QuestionKind.Likert, "Signal-to-noise ratio", "poor|excellent", perImage: true);
        Add(QuestionKind.Likert, "Sharpness", "blurred|sharp", perImage: true);
        Add(QuestionKind.YesNo, "Artifacts present?", perImage: true);
        Add(QuestionKind.Likert, "Artifact severity (if present)", "none|severe", perImage: true, required: false);
        Add(QuestionKind.Likert, "Overall diagnostic quality", "non-diagnostic|excellent", perImage: true);
        Add(QuestionKind.Annotation, profile.Kind == StudyKind.QuantitativeMap ? "Mark the most abnormal cartilage spot, if any (shift+click)" : "Mark the most abnormal spot, if any (shift+click)",
            perImage: true, required: false);
        return questions;
    }

    public Task<IReadOnlyList<Question>> QuestionsAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => QuestionsOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<Question>> QuestionsOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Questions.AsNoTracking().Where(q => q.StudyId == studyId).OrderBy(q => q.Order).ToListAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Question>> UseDefaultQuestionsAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => UseDefaultQuestionsOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<Question>> UseDefaultQuestionsOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var study = await RequireDraftAsync(db, studyId, cancellationToken);
        db.Questions.RemoveRange(db.Questions.Where(q => q.StudyId == studyId));
        db.Questions.AddRange(DefaultQuestions(studyId, study.ReadingMode, study.DiagnosticFinding, study.Profile));
        await db.SaveChangesAsync(cancellationToken);
        return await QuestionsAsync(studyId, cancellationToken);
    }

    public Task<Question> AddQuestionAsync(Guid studyId, Question question, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => AddQuestionOnceAsync(studyId, question, ct), cancellationToken);

    private async Task<Question> AddQuestionOnceAsync(Guid studyId, Question question, CancellationToken cancellationToken)
    {
        Validate(question);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, cancellationToken);
        question.Id = Guid.NewGuid();
        question.StudyId = studyId;
        question.Order = 1 + (await db.Questions.Where(q => q.StudyId == studyId).MaxAsync(q => (int?)q.Order, cancellationToken) ?? 0);
        db.Questions.Add(question);
        await db.SaveChangesAsync(cancellationToken);
        return question;
    }

    /// <summary>Corrects a question's text, options or whether it is required (kind and order stay); draft only, audited.</summary>
    public Task<Question> EditQuestionAsync(Guid studyId, Guid questionId, Question edit, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => EditQuestionOnceAsync(studyId, questionId, edit, ct), cancellationToken);

    private async Task<Question> EditQuestionOnceAsync(Guid studyId, Guid questionId, Question edit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, cancellationToken);
        var question = await db.Questions.SingleOrDefaultAsync(q => q.StudyId == studyId && q.Id == questionId, cancellationToken)
            ?? throw new StudyRuleException("No such question in this study.");
        Validate(new Question { Kind = question.Kind, Text = edit.Text, Options = edit.Options });
        (question.Text, question.Options, question.Required) = (edit.Text.Trim(), edit.Options, edit.Required);
        await db.SaveChangesAsync(cancellationToken);
        return question;
    }

    /// <summary>Deletes a question made by mistake; draft only (no answer exists yet), audited.</summary>
    public Task DeleteQuestionAsync(Guid studyId, Guid questionId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunUnsentAsync(ct => DeleteQuestionOnceAsync(studyId, questionId, ct), cancellationToken);

    private async Task DeleteQuestionOnceAsync(Guid studyId, Guid questionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, cancellationToken);
        var question = await db.Questions.SingleOrDefaultAsync(q => q.StudyId == studyId && q.Id == questionId, cancellationToken)
            ?? throw new StudyRuleException("No such question in this study.");
        db.Questions.Remove(question);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// One case per subject that has both a real and a synthetic image of the study's kind (T2 maps, CT, …) of the
    /// same size: the ones the coordinator chose, else the newest of each; subjects the coordinator excluded are left out.
    /// </summary>
    public Task<int> BuildCasesAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(async ct => (await BuildCasesOnceAsync(studyId, ct)).Cases, cancellationToken);

    /// <summary>Builds the cases and says why each subject left out has no case (or why there is none at all).</summary>
    public Task<CaseBuild> BuildCasesExplainedAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => BuildCasesOnceAsync(studyId, ct), cancellationToken);

    internal async Task<CaseBuild> BuildCasesOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var profile = (await RequireDraftAsync(db, studyId, cancellationToken)).Profile;
        var compared = profile.ComparedKind;
        var candidates = await db.Series.Where(s => s.StudyId == studyId && s.Kind == compared).ToListAsync(cancellationToken);
        var subjects = await db.Subjects.Where(s => s.StudyId == studyId).ToDictionaryAsync(s => s.Id, cancellationToken);
        var pseudonyms = subjects.ToDictionary(s => s.Key, s => s.Value.Pseudonym);
        db.Cases.RemoveRange(db.Cases.Where(c => c.StudyId == studyId));
        var number = 0;
        var skipped = new List<string>();
        var noun = profile.ComparedNoun == "image" ? $"image ({string.Join("/", profile.ComparedModalities)})" : profile.ComparedNoun;
        if (candidates.Count == 0)
        {
            skipped.Add($"No series is a {noun}: import them, or set a series' kind on the study page.");
        }
        else if (candidates.All(m => m.Origin == MapOrigin.Unknown))
        {
            skipped.Add($"No {noun} is marked real or synthetic: choose each one's origin on the study page.");
        }
        foreach (var subject in candidates.Where(m => m.Origin != MapOrigin.Unknown).GroupBy(m => m.SubjectId).OrderBy(g => pseudonyms.GetValueOrDefault(g.Key)))
        {
            var name = pseudonyms.GetValueOrDefault(subject.Key, "a subject");
            var choice = subjects.GetValueOrDefault(subject.Key);
            if (choice?.ExcludedReason is { } reason)
            {
                skipped.Add($"{name}: excluded by the coordinator ({reason}).");
                continue;
            }
            // The coordinator's choice where one was made and still stands; otherwise the newest of each.
            var real = subject.FirstOrDefault(m => m.Origin == MapOrigin.Real && m.Id == choice?.ChosenRealSeriesId)
                ?? subject.Where(m => m.Origin == MapOrigin.Real).MaxBy(m => m.ImportedAt);
            var synthetic = subject.FirstOrDefault(m => m.Origin == MapOrigin.Synthetic && m.Id == choice?.ChosenSyntheticSeriesId)
                ?? subject.Where(m => m.Origin == MapOrigin.Synthetic).MaxBy(m => m.ImportedAt);
            if (real is null || synthetic is null)
            {
                skipped.Add($"{name}: a {(real is null ? "synthetic" : "real")} {noun} but no {(real is null ? "real" : "synthetic")} one.");
                continue;
            }
            if ((real.Rows, real.Columns, real.ImageCount) != (synthetic.Rows, synthetic.Columns, synthetic.ImageCount))
            {
                skipped.Add($"{name}: the real ({real.Columns}x{real.Rows}, {real.ImageCount} images) and synthetic ({synthetic.Columns}x{synthetic.Rows}, {synthetic.ImageCount} images) differ in size.");
                continue;
            }
            db.Cases.Add(new ReadingCase { StudyId = studyId, SubjectId = subject.Key, RealSeriesId = real.Id, SyntheticSeriesId = synthetic.Id, Number = ++number });
        }
        await db.SaveChangesAsync(cancellationToken);
        return new CaseBuild(number, skipped);
    }

    /// <summary>Every built case with the real and the synthetic series it pairs, for the coordinator to check before opening.</summary>
    public Task<IReadOnlyList<CasePreview>> CasesAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => CasesOnceAsync(studyId, ct), cancellationToken);

    private async Task<IReadOnlyList<CasePreview>> CasesOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (from c in db.Cases.AsNoTracking()
                      join subject in db.Subjects on c.SubjectId equals subject.Id
                      join real in db.Series on c.RealSeriesId equals real.Id
                      join synthetic in db.Series on c.SyntheticSeriesId equals synthetic.Id
                      where c.StudyId == studyId
                      orderby c.Number
                      select new CasePreview(c.Number, subject.Pseudonym, real.Id, real.Description, synthetic.Id, synthetic.Description)).ToListAsync(cancellationToken);
    }

    public Task<int> CaseCountAsync(Guid studyId, CancellationToken cancellationToken = default) =>
        DatabaseRetry.RunAsync(ct => CaseCountOnceAsync(studyId, ct), cancellationToken);

    private async Task<int> CaseCountOnceAsync(Guid studyId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Cases.CountAsync(c => c.StudyId == studyId, cancellationToken);
    }

    /// <summary>Draws every reader's trials into <paramref name="db"/> (unsaved) and returns them; called in the same save that opens the study.</summary>
    public static Task<IReadOnlyList<Trial>> DrawTrialsAsync(ReaderStudyDbContext db, Study study, CancellationToken cancellationToken) =>
        DrawAsync(db, study, lateReader: null, cancellationToken);

    /// <summary>
    /// A reader who joins a study already open: their trials, drawn into <paramref name="db"/> (unsaved) from the study's
    /// seed exactly as opening would have drawn them (the order and sides depend only on the study's seed and the reader),
    /// touching no other reader's trials or answers. None when the reader has trials already (a reader removed and added
    /// again goes on with the trials and answers they had). Returns how many were drawn.
    /// </summary>
    public static async Task<int> DrawForLateReaderAsync(ReaderStudyDbContext db, Study study, string readerId, CancellationToken cancellationToken) =>
        await db.Trials.AnyAsync(t => t.StudyId == study.Id && t.ReaderId == readerId, cancellationToken)
            ? 0
            : (await DrawAsync(db, study, readerId, cancellationToken)).Count;

    private static async Task<IReadOnlyList<Trial>> DrawAsync(ReaderStudyDbContext db, Study study, string? lateReader, CancellationToken cancellationToken)
    {
        var cases = await db.Cases.Where(c => c.StudyId == study.Id).OrderBy(c => c.Number).ToListAsync(cancellationToken);
        var readers = lateReader is not null
            ? [lateReader]
            : await db.StudyMembers.Where(m => m.StudyId == study.Id && m.Role == PortalRoles.Reader).Select(m => m.UserId).ToListAsync(cancellationToken);
        var questions = await db.Questions.CountAsync(q => q.StudyId == study.Id, cancellationToken);
        if (cases.Count == 0 || readers.Count == 0 || questions == 0)
        {
            throw new StudyRuleException($"A study opens with at least one case, one reader and one question; it has {cases.Count} case(s), {readers.Count} reader(s) and {questions} question(s).");
        }
        if (study.RepeatedCases < 0 || study.RepeatedCases > cases.Count)
        {
            throw new StudyRuleException($"{study.RepeatedCases} repeated cases: choose 0 to {cases.Count}.");
        }
        if (lateReader is null)
        {
            db.Trials.RemoveRange(db.Trials.Where(t => t.StudyId == study.Id));
        }
        if (study.ReadingMode == ReadingMode.Diagnostic)
        {
            return await DrawDiagnosticTrialsAsync(db, study, cases, readers, cancellationToken);
        }
        // Single-image reading shows each image of a pair as an item of its own: the real one, then the synthetic one.
        var single = study.ReadingMode == ReadingMode.SingleRealOrSynthetic;
        var drawn = new List<Trial>();
        var items = single ? [.. cases.SelectMany(c => new[] { (Case: c, Real: true), (Case: c, Real: false) })] : cases.Select(c => (Case: c, Real: true)).ToList();
        foreach (var reader in readers)
        {
            var seed = Randomization.ReaderSeed(study.RandomSeed, reader);
            var (order, realOnLeft) = Randomization.Draw(seed, items.Count);
            var position = 0;
            Trial Add(int item, bool realSide, bool repeat)
            {
                var trial = new Trial
                {
                    StudyId = study.Id, CaseId = items[item].Case.Id, ReaderId = reader, Position = ++position,
                    RealOnLeft = single ? items[item].Real : realSide, Seed = seed, IsRepeat = repeat,
                    LeftImageToken = Randomization.NewToken(), RightImageToken = Randomization.NewToken(),
                };
                db.Trials.Add(trial);
                drawn.Add(trial);
                return trial;
            }
            for (var i = 0; i < order.Length; i++)
            {
                Add(order[i], realOnLeft[i], repeat: false);
            }
            // The repeats come after every first reading, in an order and with sides of their own.
            var (repeatOrder, repeatSides) = Randomization.Draw(seed ^ 0x5EED, items.Count);
            var repeats = repeatOrder.Where(i => !single || items[i].Real).Take(study.RepeatedCases).ToList();
            for (var i = 0; i < repeats.Count; i++)
            {
                Add(repeats[i], repeatSides[i], repeat: true);
            }
        }
        return drawn;
    }

    /// <summary>Diagnostic reading: each reader reads every case in both modalities, one image at a time, in two blocks.</summary>
    private static async Task<IReadOnlyList<Trial>> DrawDiagnosticTrialsAsync(ReaderStudyDbContext db, Study study, IReadOnlyList<ReadingCase> cases, IReadOnlyList<string> readers, CancellationToken cancellationToken)
    {
        if (study.DiagnosticFinding.Length == 0)
        {
            throw new StudyRuleException("A diagnostic study names its finding (e.g. \"cartilage lesion in the medial femoral condyle\") before it opens.");
        }
        if (study.RepeatedCases > 0)
        {
            throw new StudyRuleException("A diagnostic study reads every case twice already (once per modality); set repeated cases to 0.");
        }
        var subjects = cases.Select(c => c.SubjectId).ToHashSet();
        var truths = await db.Subjects.Where(s => subjects.Contains(s.Id)).Select(s => new { s.Pseudonym, s.ReferenceTruth }).ToListAsync(cancellationToken);
        var missing = truths.Where(t => t.ReferenceTruth is null).Select(t => t.Pseudonym).Order().ToList();
        if (missing.Count > 0)
        {
            throw new StudyRuleException($"{missing.Count} case(s) have no reference standard, e.g. {string.Join(", ", missing.Take(5))}: import it (subject,truth) before opening.");
        }
        if (truths.All(t => t.ReferenceTruth == true) || truths.All(t => t.ReferenceTruth == false))
        {
            throw new StudyRuleException("The reference standard has only one class; an ROC analysis needs cases with the finding and cases without it.");
        }
        var drawn = new List<Trial>();
        foreach (var reader in readers)
        {
            var seed = Randomization.ReaderSeed(study.RandomSeed, reader);
            var position = 0;
            foreach (var (index, real, block) in Randomization.DrawDiagnostic(seed, cases.Count, study.DiagnosticSpacing))
            {
                var trial = new Trial
                {
                    StudyId = study.Id, CaseId = cases[index].Id, ReaderId = reader, Position = ++position, RealOnLeft = real, Block = block, Seed = seed,
                    LeftImageToken = Randomization.NewToken(), RightImageToken = Randomization.NewToken(),
                };
                db.Trials.Add(trial);
                drawn.Add(trial);
            }
        }
        return drawn;
    }

    /// <summary>
    /// The reference standard: a CSV with the columns subject (the pseudonym) and truth (1 finding present, 0 absent).
    /// All or nothing: one unknown subject or bad truth refuses the file and changes no subject.
    /// </summary>
    public async Task<ReferenceStandardImport> ImportReferenceStandardAsync(Guid studyId, TextReader csv, CancellationToken cancellationToken = default)
    {
        string[] pseudonyms;
        bool[] truth;
        try
        {
            var table = Core.Statistics.SubjectTable.Parse(csv, "reference standard");
            (pseudonyms, truth) = (table.Labels("subject"), table.Truth("truth"));
        }
        catch (Core.Statistics.StatisticsException e)
        {
            throw new StudyRuleException(e.Message);
        }
        var twice = pseudonyms.GroupBy(p => p, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
        {
            throw new StudyRuleException($"reference standard: subject '{twice.Key}' is listed {twice.Count()} times.");
        }
        return await DatabaseRetry.RunAsync(ct => StoreReferenceStandardOnceAsync(studyId, pseudonyms, truth, ct), cancellationToken);
    }

    // Setting each subject's truth is idempotent: run again on a transient fault, it stores the same.
    private async Task<ReferenceStandardImport> StoreReferenceStandardOnceAsync(Guid studyId, string[] pseudonyms, bool[] truth, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await RequireDraftAsync(db, studyId, cancellationToken);
        var subjects = await db.Subjects.Where(s => s.StudyId == studyId).ToDictionaryAsync(s => s.Pseudonym, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var unknown = pseudonyms.Where(p => !subjects.ContainsKey(p)).ToList();
        if (unknown.Count > 0)
        {
            throw new StudyRuleException($"reference standard: {unknown.Count} subject(s) are not in this study, e.g. '{unknown[0]}'; nothing was changed.");
        }
        for (var i = 0; i < pseudonyms.Length; i++)
        {
            subjects[pseudonyms[i]].ReferenceTruth = truth[i];
        }
        await db.SaveChangesAsync(cancellationToken);
        var caseSubjects = await db.Cases.Where(c => c.StudyId == studyId).Select(c => c.SubjectId).ToListAsync(cancellationToken);
        var lacking = subjects.Values.Where(s => s.ReferenceTruth is null).Select(s => s.Id).ToHashSet();
        var withoutTruth = caseSubjects.Count(lacking.Contains);
        return new ReferenceStandardImport(pseudonyms.Length, truth.Count(t => t), truth.Count(t => !t), withoutTruth);
    }

    private static void Validate(Question question)
    {
        if (string.IsNullOrWhiteSpace(question.Text))
        {
            throw new StudyRuleException("A question needs its text.");
        }
        if (question.Kind == QuestionKind.Choice && question.Options.Split('|', StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            throw new StudyRuleException("A choice question needs at least two options, separated by '|'.");
        }
    }

    internal static async Task<Study> RequireDraftAsync(ReaderStudyDbContext db, Guid studyId, CancellationToken cancellationToken)
    {
        var study = await db.Studies.SingleAsync(s => s.Id == studyId, cancellationToken);
        return study.State == StudyState.Draft ? study : throw new StudyRuleException("The reading design can only change while the study is a draft.");
    }
}

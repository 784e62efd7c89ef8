using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Accounts;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Storage;
using ReaderStudy.Core.Studies;
using ReaderStudy.Web.Features.StudyResults;

namespace ReaderStudy.Bench;

/// <summary>
/// The results page of a closed diagnostic study, 10 readers x 2 maps x 500 cases (target: under 2 s): the results
/// model (answers joined to the key, the OR/Hillis analysis, every other section) and its tables and plots, on SQLite.
/// </summary>
internal static class DiagnosticResultsBench
{
    public static void Run(int readers = 10, int cases = 500)
    {
        var root = Directory.CreateTempSubdirectory("readerstudy-bench-diagnostic-").FullName;
        try
        {
            var options = DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(root));
            var factory = new BlindingBench.ContextFactory(options);
            using (var db = factory.CreateDbContext())
            {
                db.Database.Migrate();
            }
            var study = Seed(factory, readers, cases);
            var results = new ResultsService(factory, new LocalImageStore(Path.Combine(root, "store")), TimeProvider.System);
            StudyResultsModel? model = null;
            var (seconds, allocated) = Measure.Time(3, () =>
            {
                model = results.ComputeAsync(study).GetAwaiter().GetResult();
                _ = ResultsReport.Tables.Diagnostic(model) + ResultsReport.Tables.Accuracy(model);
                _ = ResultsReport.Figures(model, []).Select(f => f.Plotly.ToJsonString()).ToList();
            });
            var d = model!.Diagnostic!.Comparison.RandomReadersRandomCases;
            Measure.Row($"results page of a diagnostic study: {readers} readers x 2 maps x {cases} cases (model, tables, plots)", seconds,
                $"{readers * 2 * cases} ratings; {allocated:F0} MB allocated per run; real - synthetic {d.Difference:F4}, p {d.P:F3}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static Guid Seed(BlindingBench.ContextFactory factory, int readers, int cases)
    {
        using var db = factory.CreateDbContext();
        var study = new Study { Name = "bench", CreatedAt = DateTimeOffset.UtcNow, ReadingMode = ReadingMode.Diagnostic, DiagnosticFinding = "cartilage lesion", State = StudyState.Closed };
        db.Studies.Add(study);
        var rating = new Question { StudyId = study.Id, Order = 1, Kind = QuestionKind.Likert, Text = "cartilage lesion: how confident?" };
        db.Questions.Add(rating);
        var users = Enumerable.Range(0, readers).Select(r => new PortalUser { UserName = $"reader{r}@bench", Email = $"reader{r}@bench" }).ToList();
        db.Users.AddRange(users);
        var caseList = new List<ReadingCase>();
        for (var c = 0; c < cases; c++)
        {
            var subject = new Subject { StudyId = study.Id, Pseudonym = $"B-{c:D4}", PatientKey = $"{c}", CreatedAt = DateTimeOffset.UtcNow, ReferenceTruth = c % 2 == 0 };
            db.Subjects.Add(subject);
            // The maps' records only: the page's map-agreement sections skip cases without images, as for a study whose maps are elsewhere.
            var maps = new[] { MapOrigin.Real, MapOrigin.Synthetic }.Select(origin => new ImagingSeries
            {
                StudyId = study.Id, SubjectId = subject.Id, SeriesInstanceUid = $"2.25.{c}{(int)origin}", Modality = "MR", Kind = SeriesKind.T2Map, Origin = origin, ImportedAt = DateTimeOffset.UtcNow,
            }).ToList();
            db.Series.AddRange(maps);
            var readingCase = new ReadingCase { StudyId = study.Id, SubjectId = subject.Id, RealSeriesId = maps[0].Id, SyntheticSeriesId = maps[1].Id, Number = c + 1 };
            db.Cases.Add(readingCase);
            caseList.Add(readingCase);
        }
        db.SaveChanges();
        var random = new Random(20261202);
        foreach (var user in users)
        {
            var position = 0;
            foreach (var real in new[] { true, false })
            {
                foreach (var (c, index) in caseList.Select((c, i) => (c, i)))
                {
                    var trial = new Trial { StudyId = study.Id, CaseId = c.Id, ReaderId = user.Id, Position = ++position, RealOnLeft = real, Block = real ? 1 : 2,
                        LeftImageToken = Guid.NewGuid().ToString("N"), RightImageToken = Guid.NewGuid().ToString("N"), SubmittedAt = DateTimeOffset.UtcNow };
                    db.Trials.Add(trial);
                    var positive = index % 2 == 0;
                    var score = Math.Clamp((int)Math.Round(3 + (positive ? 1 : -1) * (real ? 1.2 : 1.0) + random.NextDouble() * 2 - 1), 1, 5);
                    db.Answers.Add(new Answer { StudyId = study.Id, TrialId = trial.Id, QuestionId = rating.Id, Side = "", Value = $"{score}", AnsweredAt = DateTimeOffset.UtcNow });
                }
            }
            db.SaveChanges();
        }
        return study.Id;
    }
}

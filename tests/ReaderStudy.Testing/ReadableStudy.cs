using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
using ReaderStudy.Core.Series;
using ReaderStudy.Core.Studies;

namespace ReaderStudy.Testing;

/// <summary>Gives a draft study what opening requires (a case, a reader, the default form), straight in the database.</summary>
public static class ReadableStudy
{
    public static async Task PrepareAsync(PortalFactory portal, Guid studyId, string readerEmail = DemoUsers.Reader2)
    {
        await using var db = portal.NewDbContext();
        var reader = await db.Users.SingleAsync(u => u.Email == readerEmail);
        if (!await db.StudyMembers.AnyAsync(m => m.StudyId == studyId && m.UserId == reader.Id && m.Role == "Reader"))
        {
            db.StudyMembers.Add(new StudyMember { StudyId = studyId, UserId = reader.Id, Role = "Reader", AddedAt = DateTimeOffset.UtcNow });
        }
        AddCase(db, studyId, 1);
        db.Questions.Add(new Question { StudyId = studyId, Order = 1, Kind = QuestionKind.WhichIsReal, Text = "Which image is real?" });
        await db.SaveChangesAsync();
    }

    /// <summary>A subject with a real and a synthetic map (rows only, no image files) and their case.</summary>
    public static void AddCase(Core.Data.ReaderStudyDbContext db, Guid studyId, int number)
    {
        var subject = new Subject { StudyId = studyId, Pseudonym = $"T-{Guid.NewGuid():N}"[..10], PatientKey = Guid.NewGuid().ToString("N"), CreatedAt = DateTimeOffset.UtcNow };
        ImagingSeries Map(MapOrigin origin) => new()
        {
            StudyId = studyId, SubjectId = subject.Id, SeriesInstanceUid = $"2.25.{Random.Shared.NextInt64()}", Kind = SeriesKind.T2Map, Origin = origin,
            Rows = 8, Columns = 8, ImageCount = 1, ImportedAt = DateTimeOffset.UtcNow, Modality = "MR",
        };
        var (real, synthetic) = (Map(MapOrigin.Real), Map(MapOrigin.Synthetic));
        db.Subjects.Add(subject);
        db.Series.AddRange(real, synthetic);
        db.Cases.Add(new ReadingCase { StudyId = studyId, SubjectId = subject.Id, RealSeriesId = real.Id, SyntheticSeriesId = synthetic.Id, Number = number });
    }
}

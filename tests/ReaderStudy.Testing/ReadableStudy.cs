using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Reading;
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
        db.Questions.Add(new Question { StudyId = studyId, Order = 1, Kind = QuestionKind.WhichIsReal, Text = "Which image is real?" });
        await db.SaveChangesAsync();
        await AddCaseAsync(portal, studyId, 1);
    }

    /// <summary>A subject with a real and a synthetic map (small real DICOM series in the store) and their case.</summary>
    public static async Task AddCaseAsync(PortalFactory portal, Guid studyId, int number)
    {
        var (real, synthetic) = MapCases.Knee(number);
        await MapCases.AddAsync(portal, studyId, number, real, synthetic);
    }
}

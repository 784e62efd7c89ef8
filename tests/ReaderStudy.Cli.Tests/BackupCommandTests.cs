using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReaderStudy.Core.Data;
using ReaderStudy.Core.Reading;
using ReaderStudy.Testing;
using ReaderStudy.Web.Features.Reading;

namespace ReaderStudy.Cli.Tests;

/// <summary>
/// `readerstudy backup` and `restore` as the runbook uses them: back up a portal that readers have answered in,
/// wipe it (database dropped, data folder deleted), restore into a new database and folder, and the study reads
/// the same through a portal started on what was restored; and every way a restore could overwrite data is refused.
/// </summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("readerstudy-backup-").FullName;

    [Theory]
    [InlineData(TestDatabase.Postgres)]
    [InlineData(TestDatabase.Sqlite)]
    public async Task BackUpWipeRestore_TheStudyReadsTheSame(TestDatabase database)
    {
        var backup = Path.Combine(work, "backup");
        StudyAsRead before;
        using (var original = new PortalFactory(database))
        {
            before = await AnswerAndReadAsync(original, answer: true);
            var (exit, output, error) = CommandLineTests.Run(["backup", "--to", backup, "--data", original.DataFolder, .. Postgres(database, original.ConnectionString)]);
            Assert.True(exit == 0, error);
            var manifest = JsonDocument.Parse(output).RootElement;
            Assert.Equal(before.Answers.Count, manifest.GetProperty("summary").GetProperty("answers").GetInt32());
            Assert.True(manifest.GetProperty("image_files").GetInt32() > 0);
        }   // the wipe: the factory drops its database and deletes its data folder

        var restoredData = Path.Combine(work, "restored");
        var restoredDatabase = database == TestDatabase.Postgres ? PostgresServer.NewDatabase() : "";
        var (restoreExit, report, restoreError) = CommandLineTests.Run(["restore", "--from", backup, "--data", restoredData, .. Postgres(database, restoredDatabase)]);
        Assert.True(restoreExit == 0, restoreError + report);
        Assert.Empty(JsonDocument.Parse(report).RootElement.GetProperty("problems").EnumerateArray());
        var settings = new Dictionary<string, string> { ["Storage:DataFolder"] = restoredData, ["Demo:Seed"] = "false" };
        if (database == TestDatabase.Postgres)
        {
            settings["Database:ConnectionString"] = restoredDatabase;
        }
        using var restored = new PortalFactory(database, settings);

        var after = await AnswerAndReadAsync(restored, answer: false);

        Assert.Equal(before.Answers, after.Answers);
        Assert.Equal(before.Session, after.Session);
        Assert.Equal(before.Series, after.Series);
        Assert.Equal(before.Volume, after.Volume);
        if (database == TestDatabase.Postgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var db = new ReaderStudyDbContext(DatabaseProvider.OptionsFor("Postgres", restoredDatabase));
            await db.Database.EnsureDeletedAsync();
        }
    }

    [Fact]
    public async Task Restore_IntoADatabaseThatHoldsData_IsRefused_AndTheDataIsUntouched()
    {
        using var portal = new PortalFactory(TestDatabase.Postgres);
        var before = await AnswerAndReadAsync(portal, answer: true);
        var backup = Path.Combine(work, "backup");
        Assert.Equal(0, CommandLineTests.Run(["backup", "--to", backup, "--data", portal.DataFolder, "--postgres", portal.ConnectionString]).Exit);

        var (exit, _, error) = CommandLineTests.Run(["restore", "--from", backup, "--data", portal.DataFolder, "--postgres", portal.ConnectionString]);
        var (againExit, _, againError) = CommandLineTests.Run(["backup", "--to", backup, "--data", portal.DataFolder, "--postgres", portal.ConnectionString]);
        var (sqliteExit, _, sqliteError) = CommandLineTests.Run(["restore", "--from", backup, "--data", Path.Combine(work, "elsewhere")]);

        Assert.Equal(1, exit);
        Assert.Contains("already holds", error, StringComparison.Ordinal);
        Assert.Equal(1, againExit);
        Assert.Contains("is not empty", againError, StringComparison.Ordinal);
        Assert.Equal(1, sqliteExit);
        Assert.Contains("This backup is of a Postgres database", sqliteError, StringComparison.Ordinal);
        Assert.Equal(before, await AnswerAndReadAsync(portal, answer: false));
    }

    [Fact]
    public void Backup_OfAFolderWithoutAPortal_SaysSo_AndLeavesNoEmptyDatabaseThere()
    {
        var empty = Directory.CreateDirectory(Path.Combine(work, "not-a-portal")).FullName;

        var (exit, _, error) = CommandLineTests.Run(["backup", "--to", Path.Combine(work, "backup"), "--data", empty]);

        Assert.Equal(1, exit);
        Assert.Contains("holds no portal database (readerstudy.db)", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(empty, "readerstudy.db")));
    }

    [Fact]
    public void Restore_OfABackupWithADamagedImageFile_SaysWhichAndFails()
    {
        var backup = Path.Combine(work, "backup");
        using (var portal = new PortalFactory(TestDatabase.Sqlite))
        {
            portal.CreateClient().Dispose();   // start it: the demo study is seeded
            Assert.Equal(0, CommandLineTests.Run(["backup", "--to", backup, "--data", portal.DataFolder]).Exit);
        }
        var victim = Directory.EnumerateFiles(Path.Combine(backup, "store"), "*.dcm", SearchOption.AllDirectories).Order().First();
        var bytes = File.ReadAllBytes(victim);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(victim, bytes);

        var (exit, report, _) = CommandLineTests.Run(["restore", "--from", backup, "--data", Path.Combine(work, "restored")]);

        Assert.Equal(1, exit);
        var problem = Assert.Single(JsonDocument.Parse(report).RootElement.GetProperty("problems").EnumerateArray()).GetString();
        Assert.Equal($"Image file {Path.GetFileNameWithoutExtension(victim)} does not match its hash.", problem);
    }

    /// <summary>What a reader and a coordinator see of the demo study; first, optionally, a reader answers two cases.</summary>
    private static async Task<StudyAsRead> AnswerAndReadAsync(PortalFactory portal, bool answer)
    {
        using var reader = await portal.NewClient().SignedInAsAsync(DemoUsers.Reader1);
        using var coordinator = await portal.NewClient().SignedInAsAsync(DemoUsers.Coordinator);
        await using var db = portal.NewDbContext();
        var studyId = await db.Studies.Where(s => s.Name == "Knee T2 phantom demo").Select(s => s.Id).SingleAsync();
        var session = (await reader.Http.GetFromJsonAsync<ReaderSession>($"/api/reading/studies/{studyId}/session", PortalJson.Options))!;
        if (answer)
        {
            var likert = session.Questions.First(q => q.Kind == QuestionKind.Likert && !q.PerImage);
            foreach (var (trial, value) in session.Trials.Take(2).Zip(["2", "5"]))
            {
                (await reader.Http.PutAsJsonAsync($"/api/reading/trials/{trial.TrialId}/answers", new AnswerInput(likert.Id, "", value))).EnsureSuccessStatusCode();
            }
        }
        var series = await db.Series.Where(s => s.StudyId == studyId).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        return new StudyAsRead(
            await db.Answers.Where(a => a.StudyId == studyId).OrderBy(a => a.TrialId).ThenBy(a => a.QuestionId).ThenBy(a => a.Side)
                .Select(a => $"{a.TrialId}/{a.QuestionId}/{a.Side}={a.Value}").ToListAsync(),
            await reader.Http.GetStringAsync($"/api/reading/studies/{studyId}/session"),
            await coordinator.Http.GetStringAsync($"/api/studies/{studyId}/series"),
            Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await coordinator.Http.GetByteArrayAsync($"/api/studies/{studyId}/series/{series}/volume"))));
    }

    private sealed record StudyAsRead(List<string> Answers, string Session, string Series, string Volume)
    {
        public bool Equals(StudyAsRead? other) => other is not null && Answers.SequenceEqual(other.Answers) && Session == other.Session && Series == other.Series && Volume == other.Volume;

        public override int GetHashCode() => Session.GetHashCode(StringComparison.Ordinal);
    }

    private static string[] Postgres(TestDatabase database, string connectionString) =>
        database == TestDatabase.Postgres ? ["--postgres", connectionString] : [];

    public void Dispose()
    {
        try { Directory.Delete(work, recursive: true); } catch (IOException) { }
    }
}

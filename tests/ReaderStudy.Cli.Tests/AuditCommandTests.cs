using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ReaderStudy.Core.Data;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>`readerstudy audit verify` on a real database whose audit rows a test then alters behind the portal's back.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-audit-").FullName;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_IntactThenAlteredInTheDatabase_NamesTheRow(bool postgres)
    {
        string[] database = postgres ? ["--data", data, "--postgres", PostgresServer.NewDatabase()] : ["--data", data];
        foreach (var (email, role) in new[] { ("a@hospital.example", "Admin"), ("r@hospital.example", "Reader"), ("s@hospital.example", "Statistician") })
        {
            var (added, _, error) = CommandLineTests.Run(["users", "add", "--email", email, "--role", role, .. database]);
            Assert.True(added == 0, error);
        }

        var (intactExit, intact, _) = CommandLineTests.Run(["audit", "verify", .. database]);
        await using (var db = new ReaderStudyDbContext(postgres
            ? DatabaseProvider.OptionsFor("Postgres", database[3])
            : DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(data))))
        {
            var victim = await db.AuditLog.OrderBy(e => e.Id).Skip(2).Select(e => e.Id).FirstAsync();
            await db.Database.ExecuteSqlAsync($"""UPDATE "AuditLog" SET "Details" = 'nothing happened' WHERE "Id" = {victim}""");
            var (brokenExit, broken, _) = CommandLineTests.Run(["audit", "verify", .. database]);

            Assert.Equal(0, intactExit);
            Assert.True(JsonDocument.Parse(intact).RootElement.GetProperty("intact").GetBoolean());
            Assert.Equal(1, brokenExit);
            var problem = Assert.Single(JsonDocument.Parse(broken).RootElement.GetProperty("problems").EnumerateArray());
            Assert.StartsWith($"row {victim} (", problem.GetString());
            Assert.EndsWith("its content does not match its hash; it was changed after it was written", problem.GetString());
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

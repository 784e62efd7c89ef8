using System.Text.Json;
using ReaderStudy.Testing;

namespace ReaderStudy.Cli.Tests;

/// <summary>`readerstudy users add` on a portal data folder, then the portal itself (no demo seed) takes the account.</summary>
public sealed class UsersCommandTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("readerstudy-users-").FullName;

    [Fact]
    public async Task FirstAdministrator_MadeOnTheCommandLine_SignsInToAPortalWithoutTheDemo()
    {
        var (exit, stdout, error) = CommandLineTests.Run("users", "add", "--email", "pacs.admin@hospital.example", "--name", "PACS Admin", "--role", "Admin", "--data", data);

        Assert.True(exit == 0, error);
        var printed = JsonDocument.Parse(stdout).RootElement;
        var password = printed.GetProperty("password").GetString()!;
        Assert.Equal(20, password.Length);
        Assert.Equal("Admin", printed.GetProperty("role").GetString());
        using var portal = new PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Storage:DataFolder"] = data, ["Demo:Seed"] = "false" });
        var admin = await portal.NewClient().SignedInAsAsync("pacs.admin@hospital.example", password);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.Http.GetAsync("/api/admin/users")).StatusCode);
        var (secondExit, _, secondError) = CommandLineTests.Run("users", "add", "--email", "pacs.admin@hospital.example", "--role", "Reader", "--data", data);
        Assert.Equal(2, secondExit);
        Assert.Contains("'pacs.admin@hospital.example' is already taken", secondError);
    }

    [Fact]
    public void UnknownRole_IsRefusedByTheParser()
    {
        var (exit, _, error) = CommandLineTests.Run("users", "add", "--email", "x@example.org", "--role", "Superuser", "--data", data);

        Assert.NotEqual(0, exit);
        Assert.Contains("Superuser", error);
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}

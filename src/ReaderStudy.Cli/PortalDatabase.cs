using System.CommandLine;
using ReaderStudy.Core.Auditing;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Cli;

/// <summary>How a command reaches the portal's data: its data folder (SQLite and image store) or a PostgreSQL server.</summary>
internal static class PortalDatabase
{
    public static readonly Option<DirectoryInfo> DataFolder = new("--data")
    {
        Description = "The portal's data folder (SQLite database and image store), e.g. src/ReaderStudy.Web/data.",
        DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("READERSTUDY_DATA") ?? "data"),
    };

    public static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "A PostgreSQL connection string; the image store stays in --data.",
    };

    public static ReaderStudyDbContext Open(ParseResult result)
    {
        var folder = result.GetValue(DataFolder)!.FullName;
        Directory.CreateDirectory(folder);
        var postgres = result.GetValue(Postgres);
        var options = postgres is null
            ? DatabaseProvider.OptionsFor("Sqlite", DatabaseProvider.DefaultSqliteConnectionString(folder))
            : DatabaseProvider.OptionsFor("Postgres", postgres);
        var db = new ReaderStudyDbContext(options, new SystemActor($"readerstudy-cli:{Environment.UserName}"));
        return db;
    }

    public static string StoreFolder(ParseResult result) => Path.Combine(result.GetValue(DataFolder)!.FullName, "store");
}

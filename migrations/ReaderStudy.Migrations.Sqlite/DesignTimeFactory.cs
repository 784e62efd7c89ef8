using Microsoft.EntityFrameworkCore.Design;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the model for SQLite without starting the portal.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ReaderStudyDbContext>
{
    public ReaderStudyDbContext CreateDbContext(string[] args) =>
        new(DatabaseProvider.OptionsFor("Sqlite", "Data Source=design-time.db"));
}

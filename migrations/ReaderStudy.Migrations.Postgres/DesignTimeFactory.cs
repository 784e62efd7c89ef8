using Microsoft.EntityFrameworkCore.Design;
using ReaderStudy.Core.Data;

namespace ReaderStudy.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the model for PostgreSQL without starting the portal.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<ReaderStudyDbContext>
{
    public ReaderStudyDbContext CreateDbContext(string[] args) =>
        new(DatabaseProvider.OptionsFor("Postgres", "Host=localhost;Database=design_time"));
}

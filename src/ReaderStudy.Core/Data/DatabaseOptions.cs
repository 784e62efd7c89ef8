using System.ComponentModel.DataAnnotations;

namespace ReaderStudy.Core.Data;

/// <summary>The "Database" configuration section: which engine stores the portal's data.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>"Sqlite" (the embedded default) or "Postgres".</summary>
    [Required, RegularExpression("^(Sqlite|Postgres)$", ErrorMessage = "Database:Provider must be 'Sqlite' or 'Postgres'.")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>The ADO.NET connection string; for SQLite, defaults to a file in the data folder.</summary>
    public string? ConnectionString { get; set; }
}

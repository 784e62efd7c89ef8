namespace ReaderStudy.Testing;

public sealed class SqlitePortal() : PortalFactory(TestDatabase.Sqlite);

public sealed class PostgresPortal() : PortalFactory(TestDatabase.Postgres);

/// <summary>A portal that takes uploads of at most 64 KiB, to test the refusal of a huge upload.</summary>
public sealed class SmallUploadPortal() : PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Import:MaxUploadBytes"] = "65536" });

/// <summary>The browser tests' portal: three demo subjects, so a reader has three pairs to read.</summary>
public sealed class BrowserTestPortal() : PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Demo:PhantomSubjects"] = "3" });

/// <summary>A portal that lets one client try to sign in only three times a minute, to test the rate limit.</summary>
public sealed class RateLimitedPortal() : PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["RateLimits:SignInsPerMinute"] = "3", ["Demo:PhantomSubjects"] = "1" });

/// <summary>A portal whose demo also holds the synthetic-CT (pelvis) and mammography studies, three subjects each.</summary>
public sealed class OtherKindsPortal() : PortalFactory(TestDatabase.Sqlite, new Dictionary<string, string> { ["Demo:OtherKinds"] = "true", ["Demo:PhantomSubjects"] = "3" });

/// <summary>The same on PostgreSQL.</summary>
public sealed class OtherKindsPostgresPortal() : PortalFactory(TestDatabase.Postgres, new Dictionary<string, string> { ["Demo:OtherKinds"] = "true", ["Demo:PhantomSubjects"] = "3" });

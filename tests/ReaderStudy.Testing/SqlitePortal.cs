namespace ReaderStudy.Testing;

public sealed class SqlitePortal() : PortalFactory(TestDatabase.Sqlite);

public sealed class PostgresPortal() : PortalFactory(TestDatabase.Postgres);

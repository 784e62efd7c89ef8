namespace ReaderStudy.Testing;

/// <summary>Which real database engine a test portal runs on.</summary>
public enum TestDatabase
{
    Sqlite,
    Postgres,
}

namespace ReaderStudy.Testing;

/// <summary>
/// The throwaway PostgreSQL server that deploy/test.sh starts on loopback. Tests never fall back to
/// another engine: without the server they fail and say how to start it.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "READERSTUDY_TEST_POSTGRES";

    /// <summary>A connection string to a database of its own, which migrations create on first use.</summary>
    public static string NewDatabase()
    {
        var server = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set: run the tests with deploy/test.sh, which starts a PostgreSQL server and sets it " +
                "(e.g. Host=127.0.0.1;Port=55432;Username=postgres).");
        }
        return $"{server};Database=rs_test_{Guid.NewGuid():N}";
    }
}

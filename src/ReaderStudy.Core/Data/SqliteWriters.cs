using System.Collections.Concurrent;

namespace ReaderStudy.Core.Data;

/// <summary>
/// SQLite takes one writer at a time. Writers that meet in the database are answered "busy" and retried by
/// Microsoft.Data.Sqlite after a fixed 150 ms sleep, which put many readers' answer saves at 150 ms under load;
/// this process's writers to one file queue here instead, and take their turn the moment the last one commits.
/// </summary>
internal static class SqliteWriters
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    public static async Task<IDisposable> EnterAsync(string connectionString, CancellationToken cancellationToken)
    {
        var gate = Gates.GetOrAdd(connectionString, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Turn(gate);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}

namespace ReaderStudy.Web.Features.Studies;

/// <summary>
/// Refreshes a page's list of background batches every two seconds while any of them still runs, so progress and
/// failures follow by themselves, and stops with the page.
/// </summary>
public sealed class BatchWatch<T>(Func<CancellationToken, Task<IReadOnlyList<T>>> list, Func<T, bool> running, Func<IReadOnlyList<T>, Task> show) : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private Task? watching;

    /// <summary>Starts watching if one of <paramref name="current"/> runs and no watch is on already.</summary>
    public void Follow(IReadOnlyList<T> current)
    {
        if (current.Any(running))
        {
            watching ??= WatchAsync();
        }
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                var current = await list(stop.Token);
                await show(current);
                if (!current.Any(running))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            watching = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        stop.Dispose();
    }
}

using System.Net;
using System.Net.Sockets;

namespace ReaderStudy.Bench;

/// <summary>
/// A loopback TCP relay in front of the portal whose "network" can be cut: while cut, nothing is forwarded either
/// way on any connection, old or new, as when a reader's link drops and TCP holds the bytes; when it comes back,
/// what was held goes through. Readers connected through it lose their network; the portal never notices.
/// </summary>
internal sealed class NetworkRelay : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly CancellationTokenSource stop = new();
    private volatile TaskCompletionSource up = Up();

    public NetworkRelay(Uri portal)
    {
        target = new IPEndPoint(IPAddress.Loopback, portal.Port);
        listener.Start();
        _ = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");

    public void Cut() => up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Restore() => up.TrySetResult();

    private static TaskCompletionSource Up()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient reader;
            try
            {
                reader = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = RelayAsync(reader);
        }
    }

    private async Task RelayAsync(TcpClient reader)
    {
        using (reader)
        using (var portal = new TcpClient())
        {
            try
            {
                await up.Task.WaitAsync(stop.Token);
                await portal.ConnectAsync(target, stop.Token);
                var a = PumpAsync(reader.GetStream(), portal.GetStream());
                var b = PumpAsync(portal.GetStream(), reader.GetStream());
                await Task.WhenAny(a, b);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
            }
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[16384];
        try
        {
            for (int read; (read = await from.ReadAsync(buffer, stop.Token)) > 0;)
            {
                // Held, not lost, while the network is cut.
                await up.Task.WaitAsync(stop.Token);
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        up.TrySetResult();
    }
}

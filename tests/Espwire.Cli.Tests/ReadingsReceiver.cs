using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Hosting;
using Espwire.Receiver.Server;
using Espwire.Testing;

namespace Espwire.Cli.Tests;

/// <summary>The readings tests' one fixture: a receiver on UDP 127.0.0.1:0 storing into a database in its own
/// temporary directory, which <c>espwire readings --db</c> then reads. A datagram is sent and waited for until the
/// receiver says it stored that many (an event, not a sleep).</summary>
internal sealed class ReadingsReceiver : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-cli-readings-").FullName;
    private readonly Lock _gate = new();
    private readonly List<(long Count, TaskCompletionSource Done)> _waits = [];
    private ReceiverHost? _host;
    private long _stored;

    private ReadingsReceiver()
    {
    }

    public string Db => Path.Combine(_dir, "espwire.db");

    public static async Task<ReadingsReceiver> StartAsync()
    {
        var receiver = new ReadingsReceiver();
        try
        {
            receiver._host = new ReceiverHost(new ReceiverOptions { Tcp = [], Udp = [new IPEndPoint(IPAddress.Loopback, 0)], DatabasePath = receiver.Db });
            receiver._host.ReadingStored += _ => receiver.OnStored();
            await receiver._host.StartAsync().WaitAsync(TestTimeouts.Patience);
            return receiver;
        }
        catch
        {
            await receiver.DisposeAsync();
            throw;
        }
    }

    private void OnStored()
    {
        lock (_gate)
        {
            _stored++;
            foreach (var w in _waits.Where(w => _stored >= w.Count)) w.Done.TrySetResult();
        }
    }

    /// <summary>Sends one datagram and waits until <paramref name="storedAfter"/> readings are stored in all.</summary>
    public async Task SendAsync(string datagram, long storedAfter)
    {
        TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_stored >= storedAfter) done.TrySetResult();
            else _waits.Add((storedAfter, done));
        }
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await udp.SendToAsync(Encoding.UTF8.GetBytes(datagram), _host!.UdpEndpoints[0]);
        await done.Task.WaitAsync(TestTimeouts.Patience);
    }

    /// <summary>Stops the receiver (the database stays, closed cleanly) before the test reads it.</summary>
    public async Task StopAsync()
    {
        if (_host is { } host)
        {
            _host = null;
            await host.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

public sealed class StopTests
{
    [Fact]
    public async Task Stopping_while_fifty_clients_send_keeps_every_line_that_was_read()
    {
        // A small read-ahead keeps what the stop must drain (50 x read-ahead of short lines) quick to write on a busy machine.
        await using var receiver = await TestReceiver.StartAsync(o => o with { QueueCapacity = 2_000, ReadAheadBytes = 4 * 1024 });
        using var clientsDone = new CancellationTokenSource();
        // Blocking clients on their own threads: 50 busy async loops would starve the server's pool threads.
        var clients = Enumerable.Range(0, 50).Select(k => Task.Factory.StartNew(() =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                // A connection still in the kernel's backlog when the stop closes the listener is reset before its
                // first send: it was never read, so it has nothing to keep.
                socket.Connect(receiver.Tcp);
                socket.Send(Encoding.ASCII.GetBytes($"@id client-{k}\n"));
                var chunk = new StringBuilder();
                for (var i = 0; !clientsDone.IsCancellationRequested;)
                {
                    chunk.Clear();
                    for (var end = i + 50; i < end; i++) chunk.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    socket.Send(Encoding.ASCII.GetBytes(chunk.ToString()));
                }
            }
            catch (SocketException)
            {
                // The server stopped and closed us: expected.
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        await receiver.WaitForStoredAsync(5_000);
        await receiver.StopAsync();
        await clientsDone.CancelAsync();
        await Task.WhenAll(clients).WaitAsync(TestReceiver.Patience);

        var stats = receiver.Host.Stats;
        var rows = await receiver.ReadAllAsync();
        // Everything read from a socket reached the database; nothing is left in memory.
        Assert.Equal(stats.ReadingsReceived, rows.Count);
        Assert.Equal(stats.ReadingsReceived, stats.ReadingsStored);
        Assert.Equal(0, stats.ReadingsQueued);
        Assert.True(rows.Count >= 5_000);
        foreach (var device in rows.GroupBy(r => r.Device))
        {
            Assert.StartsWith("client-", device.Key, StringComparison.Ordinal);
            // Each client's complete lines form an unbroken run 0, 1, 2... (a last line may be cut by the stop, flagged partial).
            var complete = device.Where(r => !r.Partial).Select(r => r.Raw).ToList();
            Assert.Equal(Enumerable.Range(0, complete.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), complete);
            Assert.True(device.Count(r => r.Partial) <= 1);
        }
    }
}

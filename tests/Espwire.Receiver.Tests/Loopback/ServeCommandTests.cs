using System.Net;
using System.Net.Sockets;
using Espwire.Receiver.Tests.Support;

namespace Espwire.Receiver.Tests.Loopback;

/// <summary><c>espwire serve</c> as a user runs it: what it says at start and when it cannot.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_udp_port_in_use_is_named_as_udp_and_the_hint_it_gives_works()
    {
        var dir = Directory.CreateTempSubdirectory("espwire-serve-test-").FullName;
        try
        {
            using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
            var db = Path.Combine(dir, "espwire.db");
            await using (var clash = await ServeProcess.StartAsync(["--tcp", "127.0.0.1:0", "--udp", $"127.0.0.1:{port}", "--db", db, "--quiet"], expectListening: false))
            {
                Assert.Equal(1, await clash.WaitForExitAsync());
                var error = clash.Stderr;
                Assert.Contains($"cannot listen on UDP 127.0.0.1:{port}", error, StringComparison.Ordinal);
                Assert.Contains($"the UDP port {port} is in use", error, StringComparison.Ordinal);
                Assert.Contains("--udp HOST:PORT, or pass --no-udp", error, StringComparison.Ordinal);
            }
            // Follow the hint: --no-udp.
            await using var serve = await ServeProcess.StartAsync(["--tcp", "127.0.0.1:0", "--no-udp", "--db", db, "--quiet"]);
            Assert.NotNull(serve.Tcp);
            Assert.Null(serve.Udp);
            Assert.Equal(0, await serve.StopAsync());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task No_db_says_at_start_that_no_acknowledgements_are_sent_and_sends_none()
    {
        await using var serve = await ServeProcess.StartAsync(["--tcp", "127.0.0.1:0", "--no-udp", "--no-db", "--quiet"]);
        await serve.Process.WaitForLineAsync(line => line.Contains("no acknowledgements", StringComparison.Ordinal), "the --no-db notice", stderr: true);
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(serve.Tcp!);
            await socket.SendAsync("@id nodb ack\n#1 a\n"u8.ToArray());
            socket.Shutdown(SocketShutdown.Send);
            // The receiver closes without a byte back.
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16].AsMemory()).AsTask().WaitAsync(TestReceiver.Patience));
        }
        Assert.Equal(0, await serve.StopAsync());
        Assert.Contains("1 readings stored", serve.Stderr, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Net.Sockets;
using Espwire.Ota.Discovery;

namespace Espwire.Emulator.Ota;

/// <summary>
/// Answers DNS-SD queries for the module's <c>_arduino._tcp</c> service on a unicast loopback port, as ESP8266mDNS
/// answers one-shot queries (RFC 6762 §6.7: a query from a port other than 5353 gets a unicast reply to that port).
/// </summary>
internal sealed class ModuleMdnsResponder : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly VirtualModule _module;

    private ModuleMdnsResponder(VirtualModule module, ArduinoService service, int port)
    {
        _module = module;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, module.MdnsPortFor(port)));
        }
        catch (SocketException)
        {
            _socket.Dispose();
            throw;
        }
        var endpoint = (IPEndPoint)_socket.LocalEndPoint!;
        module.RememberMdnsPort(endpoint.Port);
        module.MdnsEndpoint = endpoint;
        _loop = RunAsync(service, _stop.Token);
    }

    /// <summary>Starts answering; null (and a note) when the port cannot be opened: the sketch then runs without mDNS.</summary>
    public static ModuleMdnsResponder? TryStart(VirtualModule module, ArduinoService service, int port)
    {
        try
        {
            return new ModuleMdnsResponder(module, service, port);
        }
        catch (SocketException e)
        {
            module.Note($"ArduinoOTA could not answer DNS-SD on 127.0.0.1:{port} ({e.Message}); OTA works, discovery does not.");
            return null;
        }
    }

    private async Task RunAsync(ArduinoService service, CancellationToken ct)
    {
        var buffer = new byte[DnsMessage.MaxLength];
        long dropped = 0;
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult packet;
            try
            {
                packet = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            DnsMessage query;
            try
            {
                query = DnsMessage.Decode(buffer.AsSpan(0, packet.ReceivedBytes));
            }
            catch (DnsFormatException e)
            {
                _module.Note($"mDNS: dropped a bad query ({++dropped} so far): {e.Message}");
                continue;
            }
            var from = (IPEndPoint)packet.RemoteEndPoint;
            var answer = ArduinoServiceResponder.Answer(query, service, legacyUnicast: from.Port != 5353);
            if (answer is null) continue;
            try
            {
                await _socket.SendToAsync(answer.Encode(), SocketFlags.None, from, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
        _module.MdnsEndpoint = null;
        _stop.Dispose();
    }
}

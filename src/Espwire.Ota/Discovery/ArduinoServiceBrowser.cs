using System.Net;
using System.Net.Sockets;

namespace Espwire.Ota.Discovery;

/// <summary>
/// Finds devices announcing <c>_arduino._tcp</c> (ArduinoOTA with ESP8266mDNS): a one-shot DNS-SD query for the
/// service's PTR records, then the SRV, TXT and A records of each instance from the answers' additionals.
/// </summary>
public static class ArduinoServiceBrowser
{
    private static readonly Random Ids = new();

    public static async Task<IReadOnlyList<ArduinoService>> BrowseAsync(MdnsBrowseOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new MdnsBrowseOptions();
        var target = options.Target;
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(options.LocalAddress ?? (target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any), 0));
        if (target.Address.IsIPv4MulticastLike() && options.LocalAddress is { } local && local.AddressFamily == AddressFamily.InterNetwork)
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, local.GetAddressBytes());
        ushort id;
        lock (Ids) id = (ushort)Ids.Next(1, 65536);
        var query = new DnsMessage { Id = id, Questions = [new DnsQuestion(ArduinoService.ServiceType, DnsRecordType.Ptr, UnicastResponse: true)] }.Encode();

        var found = new Dictionary<string, ArduinoService>(StringComparer.OrdinalIgnoreCase);
        var records = new List<(DnsRecord Record, IPAddress From)>();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(options.Window);
        var queries = Math.Max(1, options.Queries);
        var sender = SendQueriesAsync(socket, query, target, queries, options.Window, window.Token);
        var buffer = new byte[DnsMessage.MaxLength];
        try
        {
            while (!window.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(target.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0), window.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // An ICMP error from a unicast target with nobody listening: keep listening for the window.
                    continue;
                }
                DnsMessage message;
                try
                {
                    message = DnsMessage.Decode(buffer.AsSpan(0, received.ReceivedBytes));
                }
                catch (DnsFormatException)
                {
                    continue;
                }
                if (!message.IsResponse) continue;
                var from = ((IPEndPoint)received.RemoteEndPoint).Address;
                records.AddRange(message.AllRecords.Select(r => (r, from)));
                foreach (var service in Assemble(records)) found[service.Instance] = service;
                if (options.StopAfter is { } n && found.Count >= n) break;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The window closed.
        }
        await window.CancelAsync().ConfigureAwait(false);
        try
        {
            await sender.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        return found.Values.OrderBy(s => s.Instance, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static bool IsIPv4MulticastLike(this IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetwork && (address.GetAddressBytes()[0] & 0xF0) == 0xE0;

    private static async Task SendQueriesAsync(Socket socket, byte[] query, IPEndPoint target, int count, TimeSpan window, CancellationToken ct)
    {
        var gap = window / (count + 1);
        for (var i = 0; i < count && !ct.IsCancellationRequested; i++)
        {
            try
            {
                await socket.SendToAsync(query, SocketFlags.None, target, ct).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // No route to the group (no multicast interface): the window simply ends with nothing found.
            }
            if (i + 1 < count) await Task.Delay(gap, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Joins PTR → SRV/TXT → A across everything received so far.</summary>
    internal static IEnumerable<ArduinoService> Assemble(IReadOnlyList<(DnsRecord Record, IPAddress From)> records)
    {
        foreach (var (ptr, from) in records.Where(r => r.Record.Type == DnsRecordType.Ptr && Same(r.Record.Name, ArduinoService.ServiceType)))
        {
            var instanceName = ptr.Target ?? "";
            var srv = records.Select(r => r.Record).LastOrDefault(r => r.Type == DnsRecordType.Srv && Same(r.Name, instanceName));
            if (srv is null) continue;
            var txt = records.Select(r => r.Record).LastOrDefault(r => r.Type == DnsRecordType.Txt && Same(r.Name, instanceName));
            var address = records.Select(r => r.Record).LastOrDefault(r => r.Type == DnsRecordType.A && Same(r.Name, srv.Target ?? ""))?.Address
                ?? records.Select(r => r.Record).LastOrDefault(r => r.Type == DnsRecordType.Aaaa && Same(r.Name, srv.Target ?? ""))?.Address
                ?? from;
            var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var s in txt?.Strings ?? [])
            {
                var eq = s.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0) pairs[s[..eq]] = s[(eq + 1)..];
                else pairs[s] = "";
            }
            var suffix = "." + ArduinoService.ServiceType;
            var instance = instanceName.EndsWith(suffix, StringComparison.OrdinalIgnoreCase) ? instanceName[..^suffix.Length] : instanceName;
            var host = srv.Target ?? "";
            yield return new ArduinoService(instance, host, address, srv.Port, pairs);
        }
    }

    private static bool Same(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);
}

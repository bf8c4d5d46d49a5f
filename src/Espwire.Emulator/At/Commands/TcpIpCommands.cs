using Espwire.Protocol.At;
using System.Net.Sockets;
using System.Net;
using Espwire.Emulator.At.Dialects;
using Espwire.Emulator.At.Links;
using Espwire.Emulator.Network;

namespace Espwire.Emulator.At.Commands;

/// <summary>AT+CIPMUX, CIPSTART, CIPSEND(EX), CIPCLOSE, CIPSTATUS, CIPSERVER, CIPSTO, CIPMODE.</summary>
internal static class TcpIpCommands
{
    /// <summary>Largest AT+CIPSEND payload.</summary>
    public const int MaxSendLength = AtLinks.MaxChunk;

    public static void Declare(AtDialect dialect, List<FirmwareCommand> commands)
    {
        commands.Add(new FirmwareCommand("+CIPMUX") { Query = MuxQuery, Set = MuxSet });
        commands.Add(new FirmwareCommand("+CIPSTART") { Set = Start, LongSet = true });
        commands.Add(new FirmwareCommand("+CIPSEND") { Set = (s, r, ct) => Send(s, r, false, ct), Execute = SendTransparent });
        commands.Add(new FirmwareCommand("+CIPSENDEX") { Set = (s, r, ct) => Send(s, r, true, ct) });
        commands.Add(new FirmwareCommand("+CIPCLOSE") { Set = Close, Execute = Close });
        commands.Add(new FirmwareCommand("+CIPSTATUS") { Execute = Status });
        commands.Add(new FirmwareCommand("+CIPSERVER") { Set = ServerSet, Query = ServerQuery });
        commands.Add(new FirmwareCommand("+CIPSTO") { Query = TimeoutQuery, Set = TimeoutSet });
        commands.Add(new FirmwareCommand("+CIPMODE") { Query = ModeQuery, Set = ModeSet });
        commands.Add(new FirmwareCommand("+ESPWIRE") { Query = EmulatorQuery });
    }

    // Not in any real firmware (there it is ERROR): where the emulator really serves the module's AT+CIPSERVER,
    // so a host tool can print an address a client can reach instead of the module's make-believe LAN address.
    private static async ValueTask<AtResult> EmulatorQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        await s.Output.LineAsync("+ESPWIRE:EMULATOR", ct).ConfigureAwait(false);
        if (s.Server is { } server)
            await s.Output.LineAsync($"+ESPWIRE:SERVER,\"{server.Endpoint.Address}\",{server.Endpoint.Port}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    internal static async ValueTask<AtResult> Reply(AtSession s, string line, CancellationToken ct)
    {
        await s.Output.LineAsync(line, ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> MuxQuery(AtSession s, AtRequest r, CancellationToken ct)
        => Reply(s, $"+CIPMUX:{(s.Multiplexed ? 1 : 0)}", ct);

    private static async ValueTask<AtResult> MuxSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return AtResult.Error;
        if (on == s.Multiplexed) return AtResult.Ok;
        if (s.AnyLinkOpen || s.Server is not null)
        {
            if (s.Dialect.LinkBuiltLine is { } built) await s.Output.LineAsync(built, ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        if (on && s.TransparentMode) return AtResult.Error;
        s.Multiplexed = on;
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> Start(AtSession s, AtRequest r, CancellationToken ct)
    {
        var offset = s.Multiplexed ? 1 : 0;
        var id = s.Multiplexed ? r.Int(0) : 0;
        var type = r.Str(offset)?.ToUpperInvariant();
        var host = r.Str(offset + 1);
        var port = r.Int(offset + 2);
        if (id is not (>= 0 and <= 4) || type is null || host is null || port is not (>= 1 and <= 65535) || host.Length is 0 or > 64)
            return AtResult.Error;
        var udp = type == "UDP";
        if (!udp && type != "TCP") return AtResult.Error; // SSL has no certificate store here.
        if (r.Count > offset + (udp ? 5 : 4)) return AtResult.Error;
        if (s.OpenLink(id.Value) is not null)
        {
            await s.Output.LineAsync("ALREADY CONNECTED", ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        if (s.Links[id.Value] is { } stale)
        {
            // A closed link whose passive data was never read: a new connection replaces it.
            await stale.DisposeAsync().ConfigureAwait(false);
            s.Links[id.Value] = null;
        }
        if (!s.Station.HasAddress) return AtResult.Error;
        var localPort = udp && r.Has(offset + 3) ? r.Int(offset + 3) : 0;
        if (localPort is not (>= 0 and <= 65535)) return AtResult.Error;

        var timing = s.Module.World.Timing;
        if (!IPAddress.TryParse(host, out _)) await s.Module.Clock.DelayAsync(timing.DnsMs, ct).ConfigureAwait(false);
        var address = await s.Module.Network.ResolveAsync(host, ct).ConfigureAwait(false);
        if (address is null)
        {
            await s.Output.LineAsync("DNS Fail", ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        var endpoint = s.Module.Network.Route(address, port.Value);
        var linkId = s.Multiplexed ? id : null;
        Socket? socket = null;
        if (endpoint is not null)
        {
            await s.Module.Clock.DelayAsync(timing.ConnectMs, ct).ConfigureAwait(false);
            socket = udp ? OpenUdp(endpoint, localPort.Value) : await NetworkGateway.ConnectTcpAsync(endpoint, TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }
        if (socket is null)
        {
            await s.Output.FinalAsync(AtResult.Error, ct).ConfigureAwait(false);
            var after = s.Dialect.ConnectFailed(linkId);
            if (after.Length > 0) await s.Output.WriteAsync(after, ct).ConfigureAwait(false);
            return AtResult.None;
        }
        var link = new AtLink(s, id.Value, udp, socket, address.ToString(), port.Value, isServer: false);
        s.Links[id.Value] = link;
        s.HadLinks = true;
        await s.Output.LineAsync(linkId is null ? "CONNECT" : $"{linkId},CONNECT", ct).ConfigureAwait(false);
        link.StartReceiving();
        return AtResult.Ok;
    }

    private static Socket? OpenUdp(IPEndPoint endpoint, int localPort)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(endpoint.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, localPort));
            socket.Connect(endpoint);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    internal static AtLink? LinkFor(AtSession s, AtRequest r, int argsWithoutId, out int consumed)
    {
        consumed = 0;
        var id = s.Multiplexed ? r.Int(0) : 0;
        consumed = s.Multiplexed ? 1 : 0;
        return id is >= 0 and <= 4 ? s.Links[id.Value] : null;
    }

    private static async ValueTask<AtResult> Send(AtSession s, AtRequest r, bool extended, CancellationToken ct)
    {
        if (s.TransparentMode) return AtResult.Error;
        var link = LinkFor(s, r, 1, out var used);
        var length = r.Int(used);
        if (length is not (>= 1 and <= MaxSendLength)) return AtResult.Error;
        // UDP may name a one-off remote: [id,]len,"ip",port (accepted, sent to the connected peer's stand-in).
        if (r.Count != used + 1 && !(link is { IsUdp: true } && r.Count == used + 3)) return AtResult.Error;
        if (link is null || !link.IsOpen)
        {
            if (s.Dialect.LinkNotValidLine is { } invalid) await s.Output.LineAsync(invalid, ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        s.BeginSend(link, length.Value, extended);
        await s.Output.WriteAsync(s.Dialect.SendPrompt, ct).ConfigureAwait(false);
        return AtResult.None;
    }

    private static async ValueTask<AtResult> SendTransparent(AtSession s, AtRequest r, CancellationToken ct)
    {
        var link = s.OpenLink(0);
        if (!s.TransparentMode || s.Multiplexed || link is null || !link.IsOpen) return AtResult.Error;
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        s.BeginTransparent(link);
        await s.Output.WriteAsync("\r\n>", ct).ConfigureAwait(false);
        return AtResult.None;
    }

    private static async ValueTask<AtResult> Close(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (r.Kind == AtCommandKind.Set)
        {
            var id = r.Int(0);
            if (!s.Multiplexed || r.Count != 1 || id is not (>= 0 and <= 5)) return AtResult.Error;
            if (id == 5)
            {
                foreach (var open in s.Links.Where(l => l is { IsOpen: true }).ToList())
                    await s.Output.LineAsync(await s.CloseLinkAsync(open!).ConfigureAwait(false), ct).ConfigureAwait(false);
                return AtResult.Ok;
            }
            return await CloseOne(s, s.OpenLink(id.Value), ct).ConfigureAwait(false);
        }
        if (s.Multiplexed) return AtResult.Error;
        return await CloseOne(s, s.OpenLink(0), ct).ConfigureAwait(false);
    }

    private static async ValueTask<AtResult> CloseOne(AtSession s, AtLink? link, CancellationToken ct)
    {
        if (link is null)
        {
            if (s.Dialect.CloseNotOpenLine is { } line) await s.Output.LineAsync(line, ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        await s.Output.LineAsync(await s.CloseLinkAsync(link).ConfigureAwait(false), ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> Status(AtSession s, AtRequest r, CancellationToken ct)
    {
        var open = s.Links.Where(l => l is { IsOpen: true }).ToList();
        var status = !s.Station.HasAddress ? 5 : open.Count > 0 ? 3 : s.HadLinks ? 4 : 2;
        await s.Output.LineAsync($"STATUS:{status}", ct).ConfigureAwait(false);
        foreach (var l in open)
            await s.Output.LineAsync($"+CIPSTATUS:{l!.Id},\"{l.Type}\",\"{l.RemoteAddress}\",{l.RemotePort},{l.LocalPort},{(l.IsServer ? 1 : 0)}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> ServerSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        var mode = r.Int(0);
        if (r.Count is < 1 or > 2 || mode is not (0 or 1)) return AtResult.Error;
        if (mode == 0)
        {
            if (s.Server is null) return AtResult.Error;
            await s.Server.DisposeAsync().ConfigureAwait(false);
            s.Server = null;
            return AtResult.Ok;
        }
        var port = r.Count == 2 ? r.Int(1) : AtLinks.DefaultServerPort;
        if (port is not (>= 1 and <= 65535) || !s.Multiplexed || s.TransparentMode) return AtResult.Error;
        if (s.Server is not null)
        {
            if (s.Dialect.NoChangeLine is { } noChange) await s.Output.LineAsync(noChange, ct).ConfigureAwait(false);
            return AtResult.Ok;
        }
        var server = LoopbackServer.Start(port.Value);
        s.Server = server;
        s.Module.ServerEndpoint = server.Endpoint;
        server.AcceptLoop(socket => AcceptAsync(s, socket));
        return AtResult.Ok;
    }

    private static async Task AcceptAsync(AtSession s, Socket socket)
    {
        var id = -1;
        for (var i = 0; i < s.Links.Length && id < 0; i++)
            if (s.OpenLink(i) is null && s.Links[i] is null) id = i;
        if (id < 0)
        {
            // All five links busy: the module refuses the client.
            socket.Dispose();
            return;
        }
        socket.NoDelay = true;
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        var link = new AtLink(s, id, false, socket, remote.Address.ToString(), remote.Port, isServer: true);
        s.Links[id] = link;
        s.HadLinks = true;
        try
        {
            await s.Output.LineAsync($"{id},CONNECT", s.Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await link.DisposeAsync().ConfigureAwait(false);
            return;
        }
        link.StartReceiving();
        link.StartIdleWatch(() => s.ServerTimeoutSeconds, s.Module.Clock);
    }

    private static ValueTask<AtResult> ServerQuery(AtSession s, AtRequest r, CancellationToken ct)
        => Reply(s, s.Server is null ? "+CIPSERVER:0" : $"+CIPSERVER:1,{s.Server.ModulePort}", ct);

    private static ValueTask<AtResult> TimeoutQuery(AtSession s, AtRequest r, CancellationToken ct)
        => Reply(s, $"+CIPSTO:{s.ServerTimeoutSeconds}", ct);

    private static ValueTask<AtResult> TimeoutSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        var v = r.Int(0);
        if (r.Count != 1 || v is not (>= 0 and <= 7200)) return new(AtResult.Error);
        s.ServerTimeoutSeconds = v.Value;
        return new(AtResult.Ok);
    }

    private static ValueTask<AtResult> ModeQuery(AtSession s, AtRequest r, CancellationToken ct)
        => Reply(s, $"+CIPMODE:{(s.TransparentMode ? 1 : 0)}", ct);

    private static ValueTask<AtResult> ModeSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return new(AtResult.Error);
        if (on && (s.Multiplexed || s.Server is not null)) return new(AtResult.Error);
        s.TransparentMode = on;
        return new(AtResult.Ok);
    }
}

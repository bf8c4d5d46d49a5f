namespace Espwire.Emulator.At.Commands;

/// <summary>How received data reaches the host: AT+CIPDINFO, CIPRECVMODE, CIPRECVDATA, CIPRECVLEN.</summary>
internal static class ReceiveCommands
{
    public static void Declare(List<FirmwareCommand> commands)
    {
        commands.Add(new FirmwareCommand("+CIPDINFO") { Query = InfoQuery, Set = InfoSet });
        commands.Add(new FirmwareCommand("+CIPRECVMODE") { Query = RecvModeQuery, Set = RecvModeSet });
        commands.Add(new FirmwareCommand("+CIPRECVDATA") { Set = RecvData });
        commands.Add(new FirmwareCommand("+CIPRECVLEN") { Query = RecvLen });
    }

    private static ValueTask<AtResult> InfoQuery(AtSession s, AtRequest r, CancellationToken ct)
        => TcpIpCommands.Reply(s, $"+CIPDINFO:{(s.ShowRemoteInfo ? 1 : 0)}", ct);

    private static ValueTask<AtResult> InfoSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return new(AtResult.Error);
        s.ShowRemoteInfo = on;
        return new(AtResult.Ok);
    }

    private static ValueTask<AtResult> RecvModeQuery(AtSession s, AtRequest r, CancellationToken ct)
        => TcpIpCommands.Reply(s, $"+CIPRECVMODE:{(s.PassiveReceive ? 1 : 0)}", ct);

    private static ValueTask<AtResult> RecvModeSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return new(AtResult.Error);
        s.PassiveReceive = on;
        return new(AtResult.Ok);
    }

    private static async ValueTask<AtResult> RecvData(AtSession s, AtRequest r, CancellationToken ct)
    {
        var link = TcpIpCommands.LinkFor(s, r, 1, out var used);
        var max = r.Int(used);
        if (!s.PassiveReceive || r.Count != used + 1 || max is not (>= 1 and <= TcpIpCommands.MaxSendLength)) return AtResult.Error;
        var data = link?.TakeBuffered(max.Value) ?? [];
        if (link is not null && link.IsSpent && s.Links[link.Id] == link) s.Links[link.Id] = null;
        if (link is null || data.Length == 0) return AtResult.Error;
        var head = System.Text.Encoding.ASCII.GetBytes(s.Dialect.RecvDataPrefix(data.Length));
        var message = new byte[head.Length + data.Length + 2];
        head.CopyTo(message, 0);
        data.CopyTo(message, head.Length);
        message[^2] = (byte)'\r';
        message[^1] = (byte)'\n';
        await s.Output.WriteAsync(message, ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> RecvLen(AtSession s, AtRequest r, CancellationToken ct)
        => TcpIpCommands.Reply(s, "+CIPRECVLEN:" + string.Join(',', s.Links.Select(l => l?.BufferedLength ?? 0)), ct);
}

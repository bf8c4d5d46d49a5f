using Espwire.Emulator.At.Dialects;

namespace Espwire.Emulator.At.Commands;

/// <summary>AT, ATE0/1, AT+RST, AT+GMR, AT+RESTORE, AT+UART_CUR/_DEF, AT+SYSRAM?, AT+SYSSTORE (2.x).</summary>
internal static class BasicCommands
{

    public static void Declare(AtDialect dialect, List<FirmwareCommand> commands)
    {
        commands.Add(new FirmwareCommand("") { Execute = Ok });
        commands.Add(new FirmwareCommand("E0") { Execute = (s, _, _) => SetEcho(s, false) });
        commands.Add(new FirmwareCommand("E1") { Execute = (s, _, _) => SetEcho(s, true) });
        commands.Add(new FirmwareCommand("+RST") { Execute = Restart });
        commands.Add(new FirmwareCommand("+GMR") { Execute = Version });
        commands.Add(new FirmwareCommand("+RESTORE") { Execute = Restore });
        commands.Add(new FirmwareCommand("+SYSRAM") { Query = SysRam });
        var uart = new FirmwareCommand("+UART") { Query = UartQuery, Set = UartSet };
        commands.Add(uart with { Name = "+UART_CUR" });
        commands.Add(uart with { Name = "+UART_DEF" });
        if (dialect.HasCurDefForms) commands.Add(uart);
        if (dialect.HasSysStore) commands.Add(new FirmwareCommand("+SYSSTORE") { Query = SysStoreQuery, Set = SysStoreSet });
    }

    private static ValueTask<AtResult> Ok(AtSession s, AtRequest r, CancellationToken ct) => new(AtResult.Ok);

    private static ValueTask<AtResult> SetEcho(AtSession s, bool on)
    {
        s.EchoOn = on;
        return new(AtResult.Ok);
    }

    private static async ValueTask<AtResult> Version(AtSession s, AtRequest r, CancellationToken ct)
    {
        foreach (var line in s.Dialect.VersionLines) await s.Output.LineAsync(line, ct).ConfigureAwait(false);
        return s.Dialect.VersionResult;
    }

    private static async ValueTask<AtResult> Restart(AtSession s, AtRequest r, CancellationToken ct)
    {
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        s.RequestReset();
        return AtResult.None;
    }

    private static async ValueTask<AtResult> Restore(AtSession s, AtRequest r, CancellationToken ct)
    {
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        s.Module.Flash.Restore();
        s.RequestReset();
        return AtResult.None;
    }

    private static async ValueTask<AtResult> SysRam(AtSession s, AtRequest r, CancellationToken ct)
    {
        // Free heap shrinks a little with every open link, as on the module.
        var free = 47_144 - s.Links.Count(l => l is not null) * 1_320;
        await s.Output.LineAsync(s.Dialect.SysRamReply(free, 38_912), ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> UartQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        var u = r.Name.EndsWith("_CUR", StringComparison.Ordinal) ? s.Ram : s.Module.Flash.Current;
        var baud = r.Name.EndsWith("_CUR", StringComparison.Ordinal) ? s.Uart.BaudRate : u.UartBaud;
        await s.Output.LineAsync($"{r.Name}:{baud},{u.UartDataBits},{u.UartStopBits},{u.UartParity},{u.UartFlowControl}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> UartSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (r.Count != 5) return AtResult.Error;
        var baud = r.Int(0);
        var data = r.Int(1);
        var stop = r.Int(2);
        var parity = r.Int(3);
        var flow = r.Int(4);
        if (baud is not (>= 80 and <= 4_500_000) || data is not (>= 5 and <= 8) || stop is not (>= 1 and <= 3)
            || parity is not (>= 0 and <= 2) || flow is not (>= 0 and <= 3))
            return AtResult.Error;
        var persistence = r.Name.EndsWith("_CUR", StringComparison.Ordinal) ? Persistence.Current : Persistence.Default;
        s.Apply(persistence, f => f with
        {
            UartBaud = baud.Value,
            UartDataBits = data.Value,
            UartStopBits = stop.Value,
            UartParity = parity.Value,
            UartFlowControl = flow.Value,
        });
        // OK goes out at the old rate; the new one applies after it.
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        s.Uart.BaudRate = baud.Value;
        return AtResult.None;
    }

    private static async ValueTask<AtResult> SysStoreQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        await s.Output.LineAsync($"+SYSSTORE:{(s.Ram.SysStore ? 1 : 0)}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> SysStoreSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return new(AtResult.Error);
        s.Apply(Persistence.Default, f => f with { SysStore = on });
        return new(AtResult.Ok);
    }
}

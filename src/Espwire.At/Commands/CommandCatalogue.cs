using Espwire.At.Reader;

namespace Espwire.At.Commands;

/// <summary>
/// Every AT exchange the driver runs, declared once: the typed API runs them, <c>espwire at</c> takes a typed
/// command's timeout and restart flag from them, and the tests read them. Times follow the firmware guide:
/// a join may take 15 s on 2.x (its default) and longer on 1.x; a scan several seconds.
/// </summary>
public static class CommandCatalogue
{
    // ---- Basic ----
    public static readonly CommandSpec Attention = new() { Name = "AT" };
    public static readonly CommandSpec EchoOff = new() { Name = "ATE0" };
    public static readonly CommandSpec EchoOn = new() { Name = "ATE1" };
    public static readonly CommandSpec Version = new() { Name = "AT+GMR", ReplyLine = "AT version:" };
    public static readonly CommandSpec Restart = new() { Name = "AT+RST", Restarts = true };
    public static readonly CommandSpec Restore = new() { Name = "AT+RESTORE", Restarts = true, Timeout = TimeSpan.FromSeconds(10) };

    // ---- Wi-Fi ----
    public static readonly CommandSpec ModeQuery = new() { Name = "AT+CWMODE?", HasCurrentForm = true, ReplyLine = "+CWMODE:" };
    public static readonly CommandSpec ModeSet = new() { Name = "AT+CWMODE=", Arguments = "{0}", HasCurrentForm = true };
    public static readonly CommandSpec Scan = new() { Name = "AT+CWLAP", Timeout = TimeSpan.FromSeconds(15) };
    public static readonly CommandSpec ScanFor = new() { Name = "AT+CWLAP=", Arguments = "{0}", Timeout = TimeSpan.FromSeconds(15) };
    public static readonly CommandSpec Join = new() { Name = "AT+CWJAP=", Arguments = "{0},{1}", HasCurrentForm = true, Timeout = TimeSpan.FromSeconds(25) };
    /// <summary>Not joined answers <c>No AP</c>, so the reply line is not required.</summary>
    public static readonly CommandSpec JoinQuery = new() { Name = "AT+CWJAP?", HasCurrentForm = true, ReplyLine = "+CWJAP:", ReplyRequired = false };
    /// <summary>The line a failed join carries its code on (<c>+CWJAP:1</c>), in every dialect.</summary>
    public const string JoinFailureLine = "+CWJAP:";
    /// <summary>When joined, <c>WIFI DISCONNECT</c> follows the OK.</summary>
    public static readonly CommandSpec Leave = new() { Name = "AT+CWQAP", TrailingNotice = Unsolicited.WifiDisconnect };
    public static readonly CommandSpec DhcpQuery = new() { Name = "AT+CWDHCP?", HasCurrentForm = true, ReplyLine = "+CWDHCP:" };
    public static readonly CommandSpec DhcpSet = new() { Name = "AT+CWDHCP=", Arguments = "{0}", HasCurrentForm = true };
    public static readonly CommandSpec AutoConnect = new() { Name = "AT+CWAUTOCONN=", Arguments = "{0}" };
    public static readonly CommandSpec Addresses = new() { Name = "AT+CIFSR", ReplyLine = "+CIFSR:" };
    public static readonly CommandSpec Ping = new() { Name = "AT+PING=", Arguments = "{0}", Timeout = TimeSpan.FromSeconds(10) };
    public static readonly CommandSpec Domain = new() { Name = "AT+CIPDOMAIN=", Arguments = "{0}", Timeout = TimeSpan.FromSeconds(10) };
    public static readonly CommandSpec SmartConfig = new() { Name = "AT+CWSTARTSMART", Timeout = TimeSpan.FromSeconds(10) };
    public static readonly CommandSpec SmartConfigWith = new() { Name = "AT+CWSTARTSMART=", Arguments = "{0}", Timeout = TimeSpan.FromSeconds(10) };

    // ---- TCP/IP ----
    public static readonly CommandSpec Status = new() { Name = "AT+CIPSTATUS", ReplyLine = "STATUS:" };
    public static readonly CommandSpec Multiplex = new() { Name = "AT+CIPMUX=", Arguments = "{0}" };
    public static readonly CommandSpec ReceiveMode = new() { Name = "AT+CIPRECVMODE=", Arguments = "{0}" };
    /// <summary>Arguments: link id, "TCP"/"UDP", quoted host, port, then ",localPort,0" for a UDP link from a fixed port (or "").</summary>
    public static readonly CommandSpec Connect = new() { Name = "AT+CIPSTART=", Arguments = "{0},\"{1}\",{2},{3}{4}", Timeout = TimeSpan.FromSeconds(20) };
    /// <summary>OK comes before the prompt; the payload follows it and SEND OK ends the exchange.</summary>
    public static readonly CommandSpec Send = new()
    {
        Name = "AT+CIPSEND=", Arguments = "{0},{1}", TakesPayload = true,
        Success = [ResultCode.SendOk], Abort = [ResultCode.Error, ResultCode.Fail, ResultCode.SendFail],
    };
    public static readonly CommandSpec ReceiveData = new() { Name = "AT+CIPRECVDATA=", Arguments = "{0},{1}" };
    public static readonly CommandSpec Close = new() { Name = "AT+CIPCLOSE=", Arguments = "{0}" };
    /// <summary>Arguments: "1,port" to start, "0" to stop.</summary>
    public static readonly CommandSpec Server = new() { Name = "AT+CIPSERVER=", Arguments = "{0}" };
    /// <summary>
    /// Espwire's emulator only (real firmware answers ERROR): <c>+ESPWIRE:SERVER,"127.0.0.1",333</c> says where
    /// the module's server is really reachable, since the module's LAN address is make-believe.
    /// </summary>
    public static readonly CommandSpec EmulatorQuery = new() { Name = "AT+ESPWIRE?", ReplyLine = "+ESPWIRE:", ReplyRequired = false, Timeout = TimeSpan.FromSeconds(2) };

    /// <summary>Any other command, as typed: it ends at its first final result.</summary>
    public static readonly CommandSpec Other = new()
    {
        Name = "", Success = [ResultCode.Ok, ResultCode.SendOk], Abort = [ResultCode.Error, ResultCode.Fail, ResultCode.SendFail],
    };

    /// <summary>Every declared exchange.</summary>
    public static IReadOnlyList<CommandSpec> All { get; } =
    [
        Attention, EchoOff, EchoOn, Version, Restart, Restore,
        ModeQuery, ModeSet, Scan, ScanFor, Join, JoinQuery, Leave, DhcpQuery, DhcpSet, AutoConnect, Addresses, Ping, Domain,
        SmartConfig, SmartConfigWith,
        Status, Multiplex, ReceiveMode, Connect, Send, ReceiveData, Close, Server, EmulatorQuery,
    ];

    /// <summary>The spec of a command a user typed (any case, _CUR/_DEF or not); <see cref="Other"/> when none is declared.</summary>
    public static CommandSpec Find(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        foreach (var spec in All)
            if (spec.Matches(typed)) return spec;
        return Other;
    }

    /// <summary>
    /// A typed command as an exchange, sent exactly as typed with its spec's timeout and restart flag. A typed
    /// AT+CIPSEND carries no payload: it ends at the prompt (the OK before it is part of the reply, so the prompt is
    /// always shown under its command), and the user types the data.
    /// </summary>
    public static Exchange Typed(string typed)
    {
        var spec = Find(typed);
        if (spec.TakesPayload) spec = spec with { TakesPayload = false, EndsAtPrompt = true, Success = [], Abort = Other.Abort };
        return new Exchange(spec, typed, spec.Timeout);
    }
}

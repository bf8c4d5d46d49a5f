using Espwire.At.Commands;
using Espwire.At.Reader;

namespace Espwire.At.Errors;

/// <summary>
/// Turns a failed reply into an explanation: first from the lines the module printed before ERROR, then from the
/// command itself (lower case, unknown) and, with <see cref="ExplainAsync"/>, from the module's state (not joined,
/// no link open, single-connection mode). The wiring hint is only for replies that were not sensible (noise).
/// </summary>
public static class FailureExplainer
{
    /// <summary>The next step for a command that needs Wi-Fi while the module is not joined.</summary>
    public const string JoinFirst = "Join a network first: espwire wifi join SSID PASSWORD --port <port> (or AT+CWJAP=\"SSID\",\"PASSWORD\"), then run the command again.";

    private const string CheckWiring = "Check the wiring (TX to RX, RX to TX, 3.3 V, GPIO0 high for run mode) and the baud rate (115200).";

    /// <summary>An explanation from the reply and the command alone (no questions to the module).</summary>
    public static Explanation Explain(AtResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return FromReply(response) ?? FromCommand(response, state: null);
    }

    /// <summary>
    /// As <see cref="Explain"/>, and when the command depends on the module's state, asks the module
    /// (AT+CWJAP?, AT+CIPSTATUS, AT+CIPMUX?) so the explanation names what is missing.
    /// </summary>
    public static async Task<Explanation> ExplainAsync(AtChannel channel, AtResponse response, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(response);
        if (JoinCode(response) is { } join) return join;
        var needs = Needs(response.Exchange.Spec);
        ModuleState? state = null;
        if (needs != Requirement.None && response.GarbageBytes == 0)
        {
            state = await ModuleState.ProbeAsync(channel, needs, cancellationToken).ConfigureAwait(false);
            if (state?.Joined == false) return NotJoined(response.Exchange.Text);
        }
        return FromReply(response) ?? FromCommand(response, state);
    }

    private static Explanation NotJoined(string command)
        => new($"{command} needs Wi-Fi, and the module is not joined to a network (AT+CWJAP? answers No AP).", JoinFirst);

    private static Explanation? JoinCode(AtResponse response)
    {
        foreach (var line in response.Lines)
            foreach (var prefix in new[] { "+CWJAP:", "+CWJAP_CUR:", "+CWJAP_DEF:" })
                if (line.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(line.AsSpan(prefix.Length), out var code))
                    return ErrorCatalogue.ForJoinError(code, response.Saw(Unsolicited.WifiConnected));
        return null;
    }

    // What the module printed itself: a reply line with a meaning, a join code, a failed connect, a 2.x error code.
    private static Explanation? FromReply(AtResponse response)
    {
        foreach (var line in response.Lines)
            if (ErrorCatalogue.Find(CatalogueTable.ReplyLine, line) is { } entry && line is not ("ERROR" or "FAIL")) return entry.Explanation;
        if (JoinCode(response) is { } join) return join;
        if (response.Unsolicited.FirstOrDefault(u => u.Kind == Unsolicited.LinkConnectFailed) is not null)
            return new Explanation("The module could not open the connection.", "Check that something listens at that host and port, and that Wi-Fi is joined.");
        if (response.ErrorCode is { } err && ErrorCatalogue.ForEspAtCode(err) is { } e) return e;
        return response.Result switch
        {
            ResultCode.Fail => ErrorCatalogue.Find(CatalogueTable.ReplyLine, "FAIL")!.Explanation,
            ResultCode.SendFail => ErrorCatalogue.Find(CatalogueTable.ReplyLine, "SEND FAIL")!.Explanation,
            _ => null,
        };
    }

    // A bare ERROR: what the command and the module's state say about it.
    private static Explanation FromCommand(AtResponse response, ModuleState? state)
    {
        var text = response.Exchange.Text.Trim();
        if (response.GarbageBytes > 0)
            return new Explanation($"The module's answer to {text} came with {response.GarbageBytes} bytes of noise: the line is garbled.", CheckWiring);
        if (InstructionSet.UpperCased(text) is { } upper)
            return new Explanation($"The AT firmware only takes commands in upper case: it does not understand {text}.", $"Send it as {upper}.");
        var name = InstructionSet.NameOf(text);
        if (!InstructionSet.IsKnown(name))
            return new Explanation($"{name} is not an ESP8266 AT command, so the module answered ERROR.",
                "Check the spelling against the AT reference (AT+GMR shows the firmware version; commands start with AT+, e.g. AT+CWJAP, AT+CIPSTART).");
        if (state?.LinkOpen == false)
            return new Explanation($"{text} works on an open link, and no link is open (AT+CIPSTATUS lists none).",
                "Open one first with AT+CIPSTART=\"TCP\",\"HOST\",PORT (or send with espwire net send --to HOST:PORT TEXT).");
        if (state?.Multiplexed == false)
            return new Explanation($"{text} needs multiple-connection mode, and the module is in single-connection mode (AT+CIPMUX? answers 0).",
                "Send AT+CIPMUX=1 first (or use espwire net listen --local-port PORT, which does it).");
        return new Explanation($"The module rejected {text}: the command exists, so a parameter is wrong or it does not apply now.",
            "Check its parameters against the AT reference for this firmware (AT+GMR shows the version), and the module's mode (AT+CWMODE?).");
    }

    // By name: a typed AT+CIPSEND runs a copy of the spec without its payload.
    private static Requirement Needs(CommandSpec spec) => spec.Name switch
    {
        _ when Is(spec, CommandCatalogue.Connect) || Is(spec, CommandCatalogue.Ping) || Is(spec, CommandCatalogue.Domain) => Requirement.Wifi,
        _ when Is(spec, CommandCatalogue.Send) || Is(spec, CommandCatalogue.Close) || Is(spec, CommandCatalogue.ReceiveData) => Requirement.Link,
        _ when Is(spec, CommandCatalogue.Server) => Requirement.Multiplexing,
        _ => Requirement.None,
    };

    private static bool Is(CommandSpec spec, CommandSpec declared) => spec.Name == declared.Name;
}

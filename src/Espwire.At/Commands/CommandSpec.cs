using System.Globalization;
using Espwire.At.Dialects;
using Espwire.At.Reader;

namespace Espwire.At.Commands;

/// <summary>
/// One AT exchange declared as data (as Zephyr's modem_chat scripts): the request, the line a good reply must
/// carry, the finals that end it well or badly, how long the module may take and whether it restarts the module.
/// The channel runs these; nothing else decides what a reply means.
/// </summary>
public sealed record CommandSpec
{
    /// <summary>Ordinary commands answer in well under a second; the firmware guide allows a few.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The command as a user types it, up to and including <c>=</c> or <c>?</c> for set and query forms:
    /// <c>AT+CWJAP=</c>, <c>AT+CWJAP?</c>, <c>AT+GMR</c>. Typed commands are matched against it.
    /// </summary>
    public required string Name { get; init; }

    /// <summary>What follows <see cref="Name"/>, with <c>{0}</c>, <c>{1}</c>... for arguments (<c>{0},{1}</c>).</summary>
    public string Arguments { get; init; } = "";

    /// <summary>
    /// Per-dialect text: on 1.x this command has <c>_CUR</c>/<c>_DEF</c> names and the driver uses <c>_CUR</c>
    /// (so nothing is written to flash by accident); its reply lines then carry the same name.
    /// </summary>
    public bool HasCurrentForm { get; init; }

    /// <summary>The line a successful reply must carry (<c>+CWMODE:</c>), before any <c>_CUR</c>; null when none.</summary>
    public string? ReplyLine { get; init; }

    /// <summary>False when a good reply may lack <see cref="ReplyLine"/> (AT+CWJAP? answers <c>No AP</c> when not joined).</summary>
    public bool ReplyRequired { get; init; } = true;

    /// <summary>The finals that end the exchange as a success.</summary>
    public IReadOnlyList<ResultCode> Success { get; init; } = [ResultCode.Ok];

    /// <summary>The finals that end it as a failure (a result, not an exception). Other finals are part of the exchange.</summary>
    public IReadOnlyList<ResultCode> Abort { get; init; } = [ResultCode.Error, ResultCode.Fail];

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The module restarts on this command: its <c>ready</c> is expected, not a brown-out.</summary>
    public bool Restarts { get; init; }

    /// <summary>The module answers with a <c>&gt;</c> prompt and the request's payload goes after it (AT+CIPSEND).</summary>
    public bool TakesPayload { get; init; }

    /// <summary>The exchange ends at the <c>&gt;</c> prompt, as a success, with nothing sent after it: a typed
    /// AT+CIPSEND, whose data the user types next. The OK before the prompt is a step, not the end.</summary>
    public bool EndsAtPrompt { get; init; }

    /// <summary>A notice the module prints after this command's final, not before it (AT+CWQAP's <c>WIFI DISCONNECT</c>).</summary>
    public Unsolicited? TrailingNotice { get; init; }

    /// <summary>How many times a <c>busy p...</c> reply makes the command wait and go again.</summary>
    public int BusyRetries { get; init; } = 20;

    /// <summary>The request for <paramref name="dialect"/>, arguments filled in.</summary>
    public Exchange For(IFirmwareDialect dialect, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return Render(HasCurrentForm && dialect.UsesCurrentForms, arguments);
    }

    /// <summary>The plain form whatever the dialect (<c>AT+CWDHCP=1,1</c>, which 1.x stores in flash).</summary>
    public Exchange Plain(params object[] arguments) => Render(current: false, arguments);

    private Exchange Render(bool current, object[] arguments)
    {
        var name = current ? CurrentName(Name) : Name;
        var text = name + string.Format(CultureInfo.InvariantCulture, Arguments, arguments);
        var reply = current && ReplyLine is { } line ? CurrentName(line) : ReplyLine;
        return new Exchange(this, text, Timeout) { ReplyLine = reply };
    }

    // AT+CWMODE? -> AT+CWMODE_CUR?, +CWMODE: -> +CWMODE_CUR:
    private static string CurrentName(string name)
    {
        var end = name.Length;
        while (end > 0 && name[end - 1] is '=' or '?' or ':') end--;
        return string.Concat(name.AsSpan(0, end), "_CUR", name.AsSpan(end));
    }

    /// <summary>Whether <paramref name="typed"/> (as a user typed it, any case, _CUR/_DEF or not) is this command.</summary>
    public bool Matches(string typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var plain = WithoutStorageSuffix(typed.Trim());
        return Name[^1] is '=' or '?'
            ? plain.StartsWith(Name, StringComparison.OrdinalIgnoreCase)
            : plain.Equals(Name, StringComparison.OrdinalIgnoreCase);
    }

    private static string WithoutStorageSuffix(string typed)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["_CUR", "_DEF"])
        {
            var at = typed.IndexOf(suffix, StringComparison.OrdinalIgnoreCase);
            if (at > 0) return typed.Remove(at, suffix.Length);
        }
        return typed;
    }

    public override string ToString() => Name + Arguments;
}

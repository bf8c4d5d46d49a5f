namespace Espwire.Emulator.At;

/// <summary>
/// A command declared as data: its name, a handler per form it accepts (forms without one answer ERROR), and
/// whether it runs long enough (a join, a connect) that other commands meanwhile get <c>busy p...</c>.
/// </summary>
public sealed record FirmwareCommand(string Name)
{
    public AtHandler? Execute { get; init; }
    public AtHandler? Query { get; init; }
    public AtHandler? Set { get; init; }
    public AtHandler? Test { get; init; }

    /// <summary>Set forms run in the background; commands sent meanwhile get <c>busy p...</c>.</summary>
    public bool LongSet { get; init; }

    /// <summary>The execute form runs in the background (AT+CWLAP, AT+RST).</summary>
    public bool LongExecute { get; init; }

    public AtHandler? For(AtCommandKind kind) => kind switch
    {
        AtCommandKind.Execute => Execute,
        AtCommandKind.Query => Query,
        AtCommandKind.Set => Set,
        _ => Test,
    };

    public bool IsLong(AtCommandKind kind) => kind switch
    {
        AtCommandKind.Set => LongSet,
        AtCommandKind.Execute => LongExecute,
        _ => false,
    };
}

namespace Espwire.At.Commands;

/// <summary>
/// The module did not finish a command in time. The hint tells apart a busy AT firmware, silence, and a module
/// that prints text but never an AT reply (a sketch: not AT firmware).
/// </summary>
public sealed class AtTimeoutException(Exchange exchange, bool heardAnything, string? notAtText = null)
    : AtException(Describe(exchange, notAtText), NextStep(heardAnything, notAtText))
{
    /// <summary>The next step when the module runs something other than the AT firmware.</summary>
    public const string RestoreAt = "Flash the AT firmware back: espwire flash restore-at <AT firmware folder> --port <port> (see espwire flash restore-at --help).";

    public Exchange Exchange { get; } = exchange;

    /// <summary>Whether anything but garbage came back while waiting.</summary>
    public bool HeardAnything { get; } = heardAnything;

    /// <summary>A line the module printed that is no AT reply, when nothing it ever printed was one; null otherwise.</summary>
    public string? NotAtText { get; } = notAtText;

    /// <summary>True when the module talks but never in AT replies: it runs a sketch (or other firmware), not AT.</summary>
    public bool NotAtFirmware => NotAtText is not null;

    private static string Describe(Exchange exchange, string? notAtText)
        => notAtText is null
            ? $"No reply to {exchange.Text} within {exchange.Timeout.TotalSeconds:0.#} s."
            : $"The module is not running AT firmware: it printed \"{Shorten(notAtText)}\" and never answered {exchange.Text}.";

    private static string NextStep(bool heardAnything, string? notAtText)
        => notAtText is not null
            ? RestoreAt
            : heardAnything
                ? "The module answered but never finished. It may still be busy (a join can take 15 s): wait and try again."
                : "Nothing came back. Check the port and baud rate (AT firmware: 115200), that GPIO0 is high (run mode, not flashing mode), TX/RX are crossed, and the module has 3.3 V power. A module running a sketch that prints nothing stays silent too: " + RestoreAt;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}

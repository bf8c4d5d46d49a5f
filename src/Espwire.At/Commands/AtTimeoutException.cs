namespace Espwire.At.Commands;

/// <summary>The module did not finish a command in time.</summary>
public sealed class AtTimeoutException(Exchange exchange, bool heardAnything)
    : AtException(
        $"No reply to {exchange.Text} within {exchange.Timeout.TotalSeconds:0.#} s.",
        heardAnything
            ? "The module answered but never finished. It may still be busy (a join can take 15 s): wait and try again."
            : "Nothing came back. Check the port and baud rate (AT firmware: 115200), that GPIO0 is high (run mode, not flashing mode), TX/RX are crossed, and the module has 3.3 V power.")
{
    public Exchange Exchange { get; } = exchange;

    /// <summary>Whether anything but garbage came back while waiting.</summary>
    public bool HeardAnything { get; } = heardAnything;
}

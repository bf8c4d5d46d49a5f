namespace Espwire.At.Commands;

/// <summary>The module restarted (it printed <c>ready</c>) while a command ran that does not restart it.</summary>
public sealed class ModuleResetException(Exchange exchange)
    : AtException(
        $"The module restarted while running {exchange.Text}.",
        "A restart mid-command usually means a brown-out: power the ESP-12F from a 3.3 V supply that gives 300 mA+ (not the adapter's 3.3 V pin), add a capacitor near VCC. Espwire re-initialises on the next command.")
{
    public Exchange Exchange { get; } = exchange;
}

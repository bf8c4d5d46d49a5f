using Espwire.Ports;

namespace Espwire.Emulator.Rfc2217;

/// <summary>
/// Serves a virtual module over RFC 2217: telnet option negotiation, COM-PORT-OPTION SET-BAUDRATE onto the
/// module's baud rate, SET-CONTROL DTR/RTS onto its modem lines (the board's two-transistor auto-reset circuit),
/// and IAC escaping of data. Plug it into <see cref="Hosting.EmulatorHostOptions.ConnectionHandler"/>.
/// </summary>
public static class Rfc2217Server
{
    /// <summary>Serves one accepted connection until it closes.</summary>
    public static async Task ServeAsync(VirtualModule module, Stream connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(connection);
        var session = new Rfc2217ServerStream(connection, module);
        await session.GreetAsync(cancellationToken).ConfigureAwait(false);
        await module.AttachAsync(session, cancellationToken).ConfigureAwait(false);
    }
}

using System.Net;
using Espwire.Receiver.Server;
using Microsoft.AspNetCore.Connections;

namespace Espwire.Receiver.Hosting;

/// <summary>The Kestrel adapter: hands each raw TCP connection's input pipe to <see cref="ReceiverCore"/>.</summary>
internal sealed class ReceiverConnectionHandler(ReceiverCore core) : ConnectionHandler
{
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        await core.HandleConnectionAsync(connection.Transport.Input, remote, connection.LocalEndPoint as IPEndPoint).ConfigureAwait(false);
        // Devices only send; complete our side so Kestrel closes the socket now.
        await connection.Transport.Output.CompleteAsync().ConfigureAwait(false);
    }
}

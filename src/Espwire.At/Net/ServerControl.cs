using Espwire.At.Commands;

namespace Espwire.At.Net;

/// <summary>AT+CIPSERVER on the module: the one server the firmware allows, started, stopped and gone with a reset.</summary>
internal sealed class ServerControl(AtModule module)
{
    private AtServer? _server;

    public AtServer? Current => _server;

    public async Task<AtServer> StartAsync(int port, CancellationToken cancellationToken)
    {
        if (_server is not null) throw new AtException("The module already runs a server.", "The AT firmware allows one server; stop it first.");
        await module.RunOkAsync(CommandCatalogue.Server.Plain($"1,{port}"), cancellationToken).ConfigureAwait(false);
        var server = new AtServer(port, StopAsync) { ReachableAt = await EmulatedEndpointAsync(cancellationToken).ConfigureAwait(false) };
        _server = server;
        return server;
    }

    // Espwire's emulator says where it really serves the port (loopback); real firmware answers ERROR: null.
    private async Task<System.Net.IPEndPoint?> EmulatedEndpointAsync(CancellationToken cancellationToken)
    {
        AtResponse reply;
        try
        {
            reply = await module.Channel.RunAsync(CommandCatalogue.EmulatorQuery.Plain(), cancellationToken).ConfigureAwait(false);
        }
        catch (AtTimeoutException)
        {
            return null;
        }
        if (!reply.IsOk) return null;
        foreach (var value in reply.Values("+ESPWIRE:SERVER,"))
        {
            var parts = value.Split(',');
            if (parts.Length == 2 && System.Net.IPAddress.TryParse(parts[0].Trim('"'), out var address)
                && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p))
                return new System.Net.IPEndPoint(address, p);
        }
        return null;
    }

    private async Task StopAsync()
    {
        _server = null;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await module.Channel.RunAsync(CommandCatalogue.Server.Plain("0"), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AtException or IOException or OperationCanceledException)
        {
            // The module is gone or restarted: the server is gone with it.
        }
    }

    /// <summary>The module restarted or is being disposed: no more clients will come.</summary>
    public void Forget()
    {
        _server?.Complete();
        _server = null;
    }
}

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
        var server = new AtServer(port, StopAsync);
        _server = server;
        return server;
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

using Microsoft.Extensions.Hosting;

namespace Espwire.Receiver.Hosting;

/// <summary>Replaces the console lifetime: a library must not take over the process's Ctrl+C and SIGTERM.
/// The caller decides when to stop (the CLI calls <see cref="ReceiverHost.StopAsync"/>).</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

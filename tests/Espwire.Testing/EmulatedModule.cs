using Xunit;
using System.Net;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Rfc2217;
using Espwire.Emulator.World;
using Espwire.At;
using Espwire.Ports;

namespace Espwire.Testing;

/// <summary>One emulated ESP-12F on loopback, and an <see cref="AtModule"/> driving it over the chosen transport.</summary>
public sealed class EmulatedModule : IAsyncDisposable
{
    private EmulatedModule(EmulatorHost host, AtModule at)
    {
        Host = host;
        At = at;
    }

    public EmulatorHost Host { get; }
    public AtModule At { get; }
    public VirtualModule Module => Host.Modules[0].Module;

    /// <summary>The emulated module alone, hosted on loopback (socket, rfc2217) or a pseudo-terminal: for tests that drive it themselves (the CLI).</summary>
    public static Task<EmulatorHost> StartHostAsync(FirmwareDialect dialect, Transport transport, WifiWorld? world = null, bool pace = false, double timeScale = 0)
        => EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { Dialect = dialect, World = world, TimeScale = timeScale, Pace = pace },
            Listen = transport == Transport.Pty ? null : new IPEndPoint(IPAddress.Loopback, 0),
            Pty = transport == Transport.Pty,
            ConnectionHandler = transport == Transport.Rfc2217 ? Rfc2217Server.ServeAsync : null,
        });

    /// <summary>The emulated module and an <see cref="AtModule"/> started on it over <paramref name="transport"/>.</summary>
    public static async Task<EmulatedModule> StartAsync(FirmwareDialect dialect, Transport transport, WifiWorld? world = null, bool pace = false, double timeScale = 0, AtModuleOptions? options = null)
    {
        var host = await StartHostAsync(dialect, transport, world, pace, timeScale);
        try
        {
            var hosted = host.Modules[0];
            var port = transport switch
            {
                Transport.Socket => hosted.PortString,
                Transport.Rfc2217 => $"rfc2217://127.0.0.1:{hosted.Endpoint!.Port}",
                _ => hosted.PtyPath!,
            };
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var link = await DeviceLink.OpenAsync(port, new LinkOptions { BaudRate = 115200 }, cts.Token);
            var at = await AtModule.StartAsync(link, options, ownsLink: true, cts.Token);
            return new EmulatedModule(host, at);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every dialect over every transport.</summary>
    public static TheoryData<FirmwareDialect, Transport> All => new()
    {
        { FirmwareDialect.NonOs, Transport.Socket },
        { FirmwareDialect.NonOs, Transport.Pty },
        { FirmwareDialect.EspAt, Transport.Socket },
        { FirmwareDialect.EspAt, Transport.Pty },
        { FirmwareDialect.NonOs, Transport.Rfc2217 },
        { FirmwareDialect.EspAt, Transport.Rfc2217 },
    };

    public static TheoryData<FirmwareDialect> Dialects => new() { FirmwareDialect.NonOs, FirmwareDialect.EspAt };

    public async ValueTask DisposeAsync()
    {
        await At.DisposeAsync();
        await Host.DisposeAsync();
    }
}

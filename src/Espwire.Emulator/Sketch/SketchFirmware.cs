namespace Espwire.Emulator.Sketch;

/// <summary>
/// An Arduino sketch in the module's flash: the seed's setup() (scan, print the networks, WiFi.begin and poll
/// WiFi.status() every 500 ms), then the loop of <see cref="SketchOptions.Kind"/>: the seed's own (a connection
/// per reading, <c>client.println(num++)</c>) or the Espwire library's (hello, sequence numbers, a ring of
/// unacknowledged readings, resend after a reconnect).
/// </summary>
public sealed class SketchFirmware : IFirmware
{
    private readonly VirtualModule _module;
    private readonly SketchOptions _options;

    public SketchFirmware(VirtualModule module, SketchOptions options)
    {
        _module = module;
        _options = options;
    }

    public async Task RunAsync(IModuleUart uart, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uart);
        var runtime = new SketchRuntime(_module, _options, uart);
        await runtime.BootAsync(cancellationToken).ConfigureAwait(false);
        // ArduinoOTA.begin() once Wi-Fi is up; its handle() runs beside loop() until the next reset (Ota/ArduinoOtaService).
        await using var ota = Ota.ArduinoOtaService.Begin(_module, _options.Ota, cancellationToken);
        if (_options.Kind == SketchKind.Espwire)
            await new EspwireSketchLoop(runtime).RunAsync(cancellationToken).ConfigureAwait(false);
        else
            await new SeedSketchLoop(runtime).RunAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
    }
}

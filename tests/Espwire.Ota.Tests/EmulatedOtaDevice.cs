using System.Net;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Ota;
using Espwire.Emulator.Sketch;

namespace Espwire.Ota.Tests;

/// <summary>A virtual ESP-12F running the sketch with ArduinoOTA on loopback, its flash holding an "old firmware".</summary>
internal sealed class EmulatedOtaDevice : IAsyncDisposable
{
    public static readonly TimeSpan Ceiling = TimeSpan.FromSeconds(60);

    private TaskCompletionSource<IPEndPoint> _listening = NewSource<IPEndPoint>();
    private TaskCompletionSource<OtaUpdateOutcome> _finished = NewSource<OtaUpdateOutcome>();

    private EmulatedOtaDevice(VirtualModule module, byte[] oldFirmware)
    {
        Module = module;
        OldFirmware = oldFirmware;
        module.OtaListening += e => _listening.TrySetResult(e);
        module.OtaFinished += o => _finished.TrySetResult(o);
    }

    public VirtualModule Module { get; }

    public byte[] OldFirmware { get; }

    public VirtualFlash Flash => VirtualFlash.For(Module.Options.Bootloader);

    public static async Task<EmulatedOtaDevice> StartAsync(string? password = null, int flashSize = 4 << 20, bool mdns = false)
    {
        var options = new ModuleOptions
        {
            Mode = BootMode.Sketch,
            TimeScale = 0,
            Bootloader = new BootloaderOptions { FlashSize = flashSize },
            // No readings: the sketch joins and then only serves OTA, so it sends nothing to anyone's receiver.
            Sketch = new SketchOptions
            {
                MaxReadings = 0,
                Ota = new OtaDeviceOptions { Port = 0, Password = password, MdnsPort = mdns ? 0 : null, ReceiveTimeout = TimeSpan.FromSeconds(20) },
            },
        };
        var module = new VirtualModule(options);
        var old = Image(260 * 1024, seed: 1);
        VirtualFlash.For(options.Bootloader).Program(0, old);
        var device = new EmulatedOtaDevice(module, old);
        module.Start();
        await device.NextListeningAsync().ConfigureAwait(false);
        return device;
    }

    public IPEndPoint Endpoint => Module.OtaEndpoint ?? throw new InvalidOperationException("ArduinoOTA is not listening.");

    /// <summary>Waits for ArduinoOTA to listen (after a boot); each call waits for the next time.</summary>
    public async Task<IPEndPoint> NextListeningAsync()
    {
        var endpoint = await _listening.Task.WaitAsync(Ceiling).ConfigureAwait(false);
        _listening = NewSource<IPEndPoint>();
        return endpoint;
    }

    /// <summary>Arms a wait for the next listening event; call before the action that reboots the module.</summary>
    public Task<IPEndPoint> ExpectReboot()
    {
        var source = NewSource<IPEndPoint>();
        _listening = source;
        return source.Task.WaitAsync(Ceiling);
    }

    public Task<OtaUpdateOutcome> ExpectOutcome()
    {
        var source = NewSource<OtaUpdateOutcome>();
        _finished = source;
        return source.Task.WaitAsync(Ceiling);
    }

    /// <summary>An ESP8266-looking image: 0xE9 magic, then seeded noise.</summary>
    public static byte[] Image(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0xE9;
        return bytes;
    }

    public OtaUploader Uploader(string? password = null, OtaPacing pacing = OtaPacing.Streamed) => new(new OtaUploadOptions
    {
        DevicePort = Endpoint.Port,
        Password = password,
        Pacing = pacing,
        AnswerTimeout = TimeSpan.FromSeconds(20),
        ConnectBackTimeout = TimeSpan.FromSeconds(20),
        ChunkTimeout = TimeSpan.FromSeconds(20),
    });

    private static TaskCompletionSource<T> NewSource<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ValueTask DisposeAsync() => Module.DisposeAsync();
}

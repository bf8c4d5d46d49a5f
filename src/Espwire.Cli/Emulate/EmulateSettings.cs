using System.Globalization;
using System.Net;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Sketch;
using Espwire.Emulator.World;

namespace Espwire.Cli.Emulate;

/// <summary>Turns <c>espwire emulate</c>'s parsed options into <see cref="EmulatorHostOptions"/>, rejecting bad combinations.</summary>
internal static class EmulateSettings
{
    public sealed record Input(string? Listen, bool Pty, int Count, string Mode, string Firmware, WifiWorld World,
        double TimeScale, bool Pace, string? StateFile, bool AllowNetwork, bool ResetOnConnect,
        string Server, string Ssid, string Password, double IntervalSeconds, string Shape, string? DeviceId,
        bool Rfc2217 = false, string? FlashFile = null, string FlashSize = "4MB", double InjectErrors = 0,
        string Sketch = "seed", IProgress<SketchProgress>? Progress = null);

    public static EmulatorHostOptions Build(Input input)
    {
        if (input.Count is < 1 or > EmulatorHost.MaxModules)
            throw new UsageException($"--count must be 1..{EmulatorHost.MaxModules}.");
        if (input.TimeScale is < 0 or > 100 || double.IsNaN(input.TimeScale))
            throw new UsageException("--time-scale must be between 0 and 100 (1 = real time, 0.1 = ten times faster).");
        if (input.IntervalSeconds is <= 0 or > 86400 || double.IsNaN(input.IntervalSeconds))
            throw new UsageException("--interval must be a number of seconds between 0 and 86400.");
        if (input.InjectErrors is < 0 or > 1 || double.IsNaN(input.InjectErrors))
            throw new UsageException("--inject-errors must be a fraction between 0 and 1, e.g. 0.01.");
        if (input.Rfc2217 && input.Listen is null && input.Pty)
            throw new UsageException("--rfc2217 serves TCP ports: add --listen 127.0.0.1:PORT (a pty has no telnet layer).");
        var flashSize = ParseFlashSize(input.FlashSize);
        IPEndPoint? listen = null;
        if (input.Listen is not null || !input.Pty)
        {
            var text = input.Listen ?? "127.0.0.1:4000";
            if (!IPEndPoint.TryParse(text, out listen) || (text.LastIndexOf(':') < 0))
                throw new UsageException($"--listen '{text}' is not HOST:PORT, e.g. 127.0.0.1:4000.");
            if (!IPAddress.IsLoopback(listen.Address))
                throw new UsageException($"--listen {text}: the emulator serves loopback only (127.0.0.1 or [::1]) so that no one else on the network can drive it.");
        }
        var (serverHost, serverPort) = ParseServer(input.Server);
        var mode = input.Mode switch
        {
            "sketch" => BootMode.Sketch,
            "bootloader" => BootMode.Bootloader,
            _ => BootMode.At,
        };
        var module = new ModuleOptions
        {
            Mode = mode,
            Dialect = input.Firmware == "2.2" ? FirmwareDialect.EspAt : FirmwareDialect.NonOs,
            World = input.World,
            TimeScale = input.TimeScale,
            Pace = input.Pace,
            StateFile = input.StateFile,
            AllowNetwork = input.AllowNetwork,
            ResetOnAttach = input.ResetOnConnect,
            Bootloader = new Espwire.Emulator.Bootloader.BootloaderOptions
            {
                FlashSize = flashSize,
                FlashFile = input.FlashFile,
                InjectErrorRate = input.InjectErrors,
            },
            Sketch = new SketchOptions
            {
                Ssid = input.Ssid,
                Password = input.Password,
                ServerHost = serverHost,
                ServerPort = serverPort,
                Interval = TimeSpan.FromSeconds(input.IntervalSeconds),
                Shape = input.Shape == "radar" ? ValueShape.Radar : ValueShape.Counter,
                Kind = input.Sketch == "espwire" ? SketchKind.Espwire : SketchKind.Seed,
                // One module keeps the name it was given; several are told apart as NAME-1, NAME-2, ... (1-based,
                // like demo's radar-1). With no --device-id they are module-N (counter) or radar-N.
                DeviceId = input.Count == 1 ? input.DeviceId : null,
                DeviceNamePrefix = input.Count == 1 && input.DeviceId is not null ? null : input.DeviceId ?? (input.Shape == "radar" ? "radar" : "module"),
                Progress = input.Progress,
            },
        };
        return new EmulatorHostOptions
        {
            Module = module,
            Count = input.Count,
            Listen = listen,
            Pty = input.Pty,
            ConnectionHandler = input.Rfc2217 ? Espwire.Emulator.Rfc2217.Rfc2217Server.ServeAsync : null,
        };
    }

    private static int ParseFlashSize(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        int multiplier = 1;
        if (t.EndsWith("KB", StringComparison.Ordinal)) (multiplier, t) = (1024, t[..^2]);
        else if (t.EndsWith("MB", StringComparison.Ordinal)) (multiplier, t) = (1024 * 1024, t[..^2]);
        if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > 16 * 1024 * 1024 / multiplier)
            throw new UsageException($"--flash-size '{text}' is not a size such as 1MB or 4MB.");
        var bytes = n * multiplier;
        if (bytes < 256 * 1024 || (bytes & (bytes - 1)) != 0)
            throw new UsageException($"--flash-size {text}: SPI flash comes in powers of two from 256KB to 16MB.");
        return bytes;
    }

    private static (string Host, int Port) ParseServer(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new UsageException($"--server '{text}' is not HOST:PORT, e.g. 192.168.0.40:12345 (mapped to 127.0.0.1) or 127.0.0.1:12345.");
        return (text[..colon].Trim('[', ']'), port);
    }
}

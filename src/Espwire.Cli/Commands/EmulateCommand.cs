using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Espwire.Cli.Emulate;
using Espwire.Emulator;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Sketch;
using Espwire.Emulator.World;
using Spectre.Console;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire emulate</c>: serve virtual ESP-12F modules over TCP (socket://) and pseudo-terminals.</summary>
internal static class EmulateCommand
{
    public static Command Create()
    {
        var listen = new Option<string?>("--listen", "-l")
        {
            Description = "Serve modules on TCP HOST:PORT (module i on PORT+i); open them as socket://HOST:PORT. Default 127.0.0.1:4000 unless --pty is given alone.",
        };
        var pty = new Option<bool>("--pty") { Description = "Serve each module on a pseudo-terminal and print its /dev/pts path (picocom, screen, pyserial, System.IO.Ports)." };
        var count = new Option<int>("--count", "-n") { Description = "How many modules to serve.", DefaultValueFactory = _ => 1 };
        var mode = new Option<string>("--mode", "-m") { Description = "What the modules boot: at (AT firmware), sketch (the seed's Arduino sketch), bootloader (ROM download mode, GPIO0 low).", DefaultValueFactory = _ => "at" };
        mode.AcceptOnlyFromAmong("at", "sketch", "bootloader");
        var firmware = new Option<string>("--firmware", "-f") { Description = "AT firmware dialect: 1.7 (NonOS, \\r\\r\\n echo, _CUR/_DEF) or 2.2 (ESP-AT).", DefaultValueFactory = _ => "1.7" };
        firmware.AcceptOnlyFromAmong("1.7", "2.2");
        var world = new Option<FileInfo?>("--world", "-w") { Description = "JSON world file (access points, LAN, DNS, timings). Default: the seed's world; see --print-world." };
        var dhcpOff = new Option<bool>("--dhcp-off") { Description = "Start with station DHCP disabled, to reproduce the seed's failed join (+CWJAP:1 until AT+CWDHCP=1,1)." };
        var timeScale = new Option<double>("--time-scale") { Description = "Multiply simulated durations (join, scan, ping, sketch delays): 1 real time, 0.1 ten times faster, 0 instant.", DefaultValueFactory = _ => 1.0 };
        var pace = new Option<bool>("--pace") { Description = "Run the serial line at its baud rate (AT+UART_CUR changes it), so throughput is honest." };
        var state = new Option<FileInfo?>("--state") { Description = "Keep saved settings (the joined network, _DEF forms) in this JSON file across restarts." };
        var allowNetwork = new Option<bool>("--allow-network") { Description = "Let CIPSTART and the sketch reach real non-loopback addresses. Off: only loopback and the world's LAN hosts (mapped to loopback)." };
        var resetOnConnect = new Option<bool>("--reset-on-connect") { Description = "Reset a module whenever a host connects, so each session starts with the boot text and 'ready'." };
        var printWorld = new Option<bool>("--print-world") { Description = "Print the world (default or --world) as JSON and exit: a starting point for your own file." };
        var server = new Option<string>("--server") { Description = "Sketch mode: HOST:PORT the sketch sends to. The seed's laptop 192.168.0.40 maps to 127.0.0.1.", DefaultValueFactory = _ => "192.168.0.40:12345" };
        var ssid = new Option<string>("--ssid") { Description = "Sketch mode: the network to join.", DefaultValueFactory = _ => "iptime" };
        var password = new Option<string>("--password") { Description = "Sketch mode: its password.", DefaultValueFactory = _ => "admin" };
        var interval = new Option<double>("--interval") { Description = "Sketch mode: seconds between readings (the seed's delay(1000)).", DefaultValueFactory = _ => 1.0 };
        var shape = new Option<string>("--shape") { Description = "Sketch mode: counter (the seed's println(num++)) or radar (distance=1.42,velocity=-0.3).", DefaultValueFactory = _ => "counter" };
        shape.AcceptOnlyFromAmong("counter", "radar");
        var deviceId = new Option<string?>("--device-id") { Description = "Sketch mode: the device name sent as '@id NAME' (module N is NAME-N when --count > 1). Default: module-N, or radar-N with --shape radar." };
        var sketch = new Option<string>("--sketch") { Description = "Sketch mode: seed (the seed's sketch exactly: a connection per reading, nothing kept) or espwire (the seed's sketch with the Espwire library: kept connection, acknowledgements, ring, resend).", DefaultValueFactory = _ => "seed" };
        sketch.AcceptOnlyFromAmong("seed", "espwire");
        var rfc2217 = new Option<bool>("--rfc2217") { Description = "Serve the --listen ports as RFC 2217 (rfc2217://HOST:PORT): baud rate and DTR/RTS reach the board's auto-reset circuit, so esptool-style resets work." };
        var flash = new Option<FileInfo?>("--flash") { Description = "Bootloader: keep the virtual SPI flash in this file (module i uses NAME-i.bin when --count > 1)." };
        var flashSize = new Option<string>("--flash-size") { Description = "Bootloader: size of the virtual flash: 256KB, 512KB, 1MB, 2MB, 4MB (ESP-12F), 8MB or 16MB.", DefaultValueFactory = _ => "4MB" };
        var injectErrors = new Option<double>("--inject-errors") { Description = "Bootloader: fraction 0..1 of replies dropped or damaged, to exercise a flasher's retries." };
        var showSerial = new Option<bool>("--show-serial") { Description = "Print every module's serial output here, a line at a time, prefixed with its number (handy for --mode sketch)." };
        var json = CommonOptions.Json();

        var command = new Command("emulate", "Run virtual ESP-12F modules (AT firmware, the seed's sketch, or ROM download mode) on TCP ports or pseudo-terminals.\n\n" +
            "Examples:\n" +
            "  espwire emulate --listen 127.0.0.1:4000                 then: espwire at --port socket://127.0.0.1:4000 AT+GMR\n" +
            "  espwire emulate --pty --firmware 2.2                     then: picocom -b 115200 --omap crlf /dev/pts/N\n" +
            "  espwire emulate --mode sketch --count 3 --time-scale 0.1 (sends to 127.0.0.1:12345, as the seed's laptop)\n" +
            "  espwire emulate --mode sketch --sketch espwire           (the Espwire library's sketch: nothing lost across receiver restarts)\n" +
            "  espwire emulate --dhcp-off --state module.json          (the seed's failed join; settings kept across runs)\n" +
            "  espwire emulate --mode bootloader --rfc2217 --flash f.bin  then: espwire flash info --port rfc2217://127.0.0.1:4000")
        {
            listen, pty, count, mode, firmware, world, dhcpOff, timeScale, pace, state, allowNetwork, resetOnConnect, printWorld,
            server, ssid, password, interval, shape, deviceId, sketch, rfc2217, flash, flashSize, injectErrors, showSerial, json,
        };

        // OTA: --ota, --ota-port, --ota-password, --mdns-port (Emulate/EmulateOta.cs).
        var ota = new EmulateOta(command);
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(pr, ct));
        return command;

        async Task<int> RunAsync(ParseResult pr, CancellationToken ct)
        {
            var output = pr.InvocationConfiguration.Output;
            var w = pr.GetValue(world) is { } wf ? LoadWorld(wf) : WifiWorld.Default;
            if (pr.GetValue(dhcpOff)) w = w.WithStationDhcpOff();
            if (pr.GetValue(printWorld))
            {
                await output.WriteLineAsync(w.ToJson()).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var json_ = pr.GetValue(json);
            var progressLock = new object();
            // Sketch modules say what they do from the first second (scan, join, sending to, cannot reach the server).
            var progress = pr.GetValue(mode) == "sketch" && !json_
                ? new SketchProgressPrinter(line => { lock (progressLock) output.WriteLine(line); })
                : null;
            var options = EmulateSettings.Build(new EmulateSettings.Input(
                pr.GetValue(listen), pr.GetValue(pty), pr.GetValue(count), pr.GetValue(mode)!, pr.GetValue(firmware)!, w,
                pr.GetValue(timeScale), pr.GetValue(pace), pr.GetValue(state)?.FullName, pr.GetValue(allowNetwork),
                pr.GetValue(resetOnConnect), pr.GetValue(server)!, pr.GetValue(ssid)!, pr.GetValue(password)!,
                pr.GetValue(interval), pr.GetValue(shape)!, pr.GetValue(deviceId),
                pr.GetValue(rfc2217), pr.GetValue(flash)?.FullName, pr.GetValue(flashSize)!, pr.GetValue(injectErrors),
                pr.GetValue(sketch)!, progress));
            options = ota.Apply(pr, options);

            EmulatorHost host;
            try
            {
                host = await EmulatorHost.StartAsync(options, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                await pr.InvocationConfiguration.Error.WriteLineAsync($"espwire emulate: {e.Message}").ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
            await using (host.ConfigureAwait(false))
            {
                EmulateOta.Report(host, output);
                if (json_)
                {
                    var rows = host.Modules.Select((m, i) => new { module = i, port = PortOf(m, options), tcp = m.Endpoint?.ToString(), pty = m.PtyPath });
                    await output.WriteLineAsync(JsonSerializer.Serialize(rows)).ConfigureAwait(false);
                }
                else
                {
                    var console = CliConsole.For(output);
                    var sketchMode = options.Module.Mode == BootMode.Sketch;
                    var table = new Table().AddColumns("module", "port", "pty", "mode");
                    if (sketchMode) table.AddColumn("device");
                    for (var i = 0; i < host.Modules.Count; i++)
                    {
                        var m = host.Modules[i];
                        var cells = new List<string>
                        {
                            // 1-based, as the modules' progress lines and device names count them.
                            (i + 1).ToString(CultureInfo.InvariantCulture),
                            m.Endpoint is null ? "-" : Markup.Escape(PortOf(m, options)), m.PtyPath ?? "-",
                            Markup.Escape(sketchMode ? $"sketch ({pr.GetValue(sketch)})" : options.Module.Mode.ToString().ToLowerInvariant()),
                        };
                        if (sketchMode) cells.Add(Markup.Escape(DeviceNameOf(m.Module.Options)));
                        table.AddRow(cells.ToArray());
                    }
                    console.Write(table);
                    if (pr.GetValue(showSerial))
                    {
                        var echo = new SerialEcho(output);
                        for (var i = 0; i < host.Modules.Count; i++) echo.Attach(i, host.Modules[i].Module);
                    }
                    console.MarkupLine($"[grey]firmware {Markup.Escape(pr.GetValue(firmware)!)}, time scale {options.Module.TimeScale.ToString(CultureInfo.InvariantCulture)}{(options.Module.Pace ? ", paced" : "")}. Ctrl+C stops.[/]");
                }
                try
                {
                    await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return ExitCodes.Ok;
        }
    }

    private static string PortOf(HostedModule m, EmulatorHostOptions options)
        => options.ConnectionHandler is not null && m.Endpoint is not null
            ? "rfc2217://" + m.PortString["socket://".Length..]
            : m.PortString;

    private static string DeviceNameOf(ModuleOptions m) => m.Sketch.DeviceNameFor(m.Index) ?? "(its address)";

    private static WifiWorld LoadWorld(FileInfo file)
    {
        try
        {
            return WifiWorld.Load(file.FullName);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

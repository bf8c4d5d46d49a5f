using System.CommandLine;
using System.Globalization;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Ota;

namespace Espwire.Cli.Emulate;

/// <summary>
/// <c>espwire emulate --mode sketch --ota</c>: the sketch runs ArduinoOTA (and answers DNS-SD for _arduino._tcp).
/// Its options, how they reach each module (ports offset by the module's number), and the lines printed when a
/// module starts listening or finishes an update.
/// </summary>
internal sealed class EmulateOta
{
    private readonly Option<bool> _ota = new("--ota") { Description = "Sketch mode: the sketch runs ArduinoOTA, so 'espwire ota 127.0.0.1 FILE' updates it; after an update the image is at 0x0 of --flash FILE and the module reboots." };
    private readonly Option<int> _port = new("--ota-port") { Description = "Sketch mode with --ota: ArduinoOTA's UDP port on 127.0.0.1 (module i on PORT+i); 0 picks a free one.", DefaultValueFactory = _ => 8266 };
    private readonly Option<string?> _password = new("--ota-password") { Description = "Sketch mode with --ota: the OTA password (ArduinoOTA.setPassword)." };
    private readonly Option<int?> _mdnsPort = new("--mdns-port") { Description = "Sketch mode with --ota: answer DNS-SD queries for _arduino._tcp on 127.0.0.1:PORT (module i on PORT+i); then: espwire devices --mdns 127.0.0.1:PORT." };

    public EmulateOta(Command command)
    {
        command.Options.Add(_ota);
        command.Options.Add(_port);
        command.Options.Add(_password);
        command.Options.Add(_mdnsPort);
    }

    public EmulatorHostOptions Apply(ParseResult pr, EmulatorHostOptions options)
    {
        var enabled = pr.GetValue(_ota);
        var port = pr.GetValue(_port);
        var mdns = pr.GetValue(_mdnsPort);
        var password = pr.GetValue(_password);
        if (!enabled)
        {
            if (password is not null || mdns is not null || pr.GetResult(_port) is { Implicit: false })
                throw new UsageException("--ota-port, --ota-password and --mdns-port need --ota (and --mode sketch).");
            return options;
        }
        if (options.Module.Mode != Espwire.Emulator.BootMode.Sketch)
            throw new UsageException("--ota runs inside the sketch: add --mode sketch.");
        if (port is < 0 or > 65535 || (port != 0 && port + options.Count - 1 > 65535))
            throw new UsageException("--ota-port must be 0..65535 (module i uses PORT+i).");
        if (mdns is < 0 or > 65535 || (mdns is > 0 && mdns + options.Count - 1 > 65535))
            throw new UsageException("--mdns-port must be 0..65535 (module i uses PORT+i).");
        var previous = options.PerModule;
        return options with
        {
            PerModule = (i, module) =>
            {
                module = previous?.Invoke(i, module) ?? module;
                var device = new OtaDeviceOptions
                {
                    Port = port == 0 ? 0 : port + i,
                    Password = string.IsNullOrEmpty(password) ? null : password,
                    MdnsPort = mdns is null ? null : mdns == 0 ? 0 : mdns + i,
                };
                return module with { Sketch = module.Sketch with { Ota = device } };
            },
        };
    }

    /// <summary>Prints where each module's ArduinoOTA listens and how each update ended.</summary>
    public static void Report(EmulatorHost host, TextWriter output)
    {
        for (var i = 0; i < host.Modules.Count; i++)
        {
            var n = i;
            var module = host.Modules[i].Module;
            var gate = new object();
            var printedBoot = -1;
            void Print(System.Net.IPEndPoint endpoint)
            {
                lock (gate)
                {
                    // The first boot may have begun listening before this subscription: print each boot once.
                    if (printedBoot == module.BootCount) return;
                    printedBoot = module.BootCount;
                }
                var mdns = module.MdnsEndpoint is { } m ? string.Create(CultureInfo.InvariantCulture, $", DNS-SD on {m} (espwire devices --mdns {m})") : "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"module {n}: ArduinoOTA on {endpoint}{mdns}; update with: espwire ota {endpoint.Address} FILE --ota-port {endpoint.Port}"));
            }
            module.OtaListening += Print;
            module.Trace += note =>
            {
                if (note.StartsWith("ArduinoOTA could not", StringComparison.Ordinal)) output.WriteLine($"module {n}: {note}");
            };
            if (module.OtaEndpoint is { } already) Print(already);
            module.OtaFinished += outcome => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"module {n}: OTA {(outcome.Succeeded ? "done" : "failed")}: {outcome.What} ({outcome.BytesReceived} of {outcome.Size} bytes)"));
        }
    }
}

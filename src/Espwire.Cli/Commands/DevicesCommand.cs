using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Espwire.Cli.Devices;
using Espwire.Ota.Discovery;
using Microsoft.Data.Sqlite;
using Spectre.Console;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire devices</c>: ArduinoOTA devices found by mDNS (<c>_arduino._tcp</c>) and the devices a receiver has stored readings from.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var db = new Option<FileInfo>("--db") { Description = "The receiver's database; its devices are listed with when they were last seen (skipped when the file does not exist).", DefaultValueFactory = _ => new FileInfo("espwire.db") };
        var timeout = new Option<double>("--timeout", "-t") { Description = "Seconds to listen for mDNS answers.", DefaultValueFactory = _ => 2.0 };
        var mdns = new Option<string?>("--mdns") { Description = "Send the DNS-SD query to this HOST:PORT instead of the mDNS group 224.0.0.251:5353 (one responder by unicast, e.g. an emulator's)." };
        var json = CommonOptions.Json();
        var command = new Command("devices", "List devices: ArduinoOTA sketches announcing _arduino._tcp over mDNS (name, address, OTA port, board, password), and the devices the receiver has seen.\n\n" +
            "Examples:\n" +
            "  espwire devices\n" +
            "  espwire devices --db /var/lib/espwire/espwire.db --timeout 5\n" +
            "  espwire emulate --mode sketch --ota --mdns-port 5354   then: espwire devices --mdns 127.0.0.1:5354")
        {
            db, timeout, mdns, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(pr, ct));
        return command;

        async Task<int> RunAsync(ParseResult pr, CancellationToken ct)
        {
            var output = pr.InvocationConfiguration.Output;
            var seconds = pr.GetValue(timeout);
            if (seconds is <= 0 or > 60 || double.IsNaN(seconds)) throw new UsageException("--timeout must be a number of seconds between 0 and 60.");
            var target = MdnsBrowseOptions.MulticastGroup;
            if (pr.GetValue(mdns) is { } text && (!IPEndPoint.TryParse(text, out target!) || text.LastIndexOf(':') < 0 || target.Port == 0))
                throw new UsageException($"--mdns '{text}' is not HOST:PORT, e.g. 127.0.0.1:5354.");

            var services = await ArduinoServiceBrowser.BrowseAsync(new MdnsBrowseOptions { Target = target, Window = TimeSpan.FromSeconds(seconds) }, ct).ConfigureAwait(false);
            IReadOnlyList<SeenDevice> seen = [];
            string? dbNote = null;
            var dbFile = pr.GetValue(db)!;
            if (dbFile.Exists)
            {
                try
                {
                    seen = await SeenDevices.QueryAsync(dbFile.FullName, ct).ConfigureAwait(false);
                }
                catch (SqliteException e)
                {
                    dbNote = $"{dbFile.Name}: not a receiver database ({e.Message})";
                }
            }

            if (pr.GetValue(json))
            {
                var rows = new
                {
                    ota = services.Select(s => new { name = s.Instance, host = s.HostName, address = s.Address.ToString(), otaPort = s.Port, board = s.Board, authRequired = s.AuthRequired, txt = s.Txt }),
                    receiver = seen.Select(d => new { name = d.Name, remote = d.Remote, lastSeen = d.LastSeen, readings = d.Readings }),
                };
                await output.WriteLineAsync(JsonSerializer.Serialize(rows)).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            var console = CliConsole.For(output);
            if (services.Count == 0)
            {
                console.MarkupLine(Markup.Escape($"No _arduino._tcp devices answered within {seconds.ToString(CultureInfo.InvariantCulture)} s (the sketch must call ArduinoOTA.begin() and be on this network; try --timeout 5)."));
            }
            else
            {
                var table = new Table().AddColumns("name", "address", "OTA port", "board", "auth required");
                foreach (var s in services)
                {
                    table.AddRow(Markup.Escape(s.Instance), Markup.Escape(s.Address.ToString()), s.Port.ToString(CultureInfo.InvariantCulture),
                        Markup.Escape(s.Board ?? "-"), s.AuthRequired ? "yes" : "no");
                }
                console.Write(table);
            }
            if (seen.Count > 0)
            {
                var table = new Table().AddColumns("receiver device", "last address", "last seen (UTC)", "readings");
                foreach (var d in seen)
                {
                    table.AddRow(Markup.Escape(d.Name), Markup.Escape(d.Remote), d.LastSeen.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                        d.Readings.ToString(CultureInfo.InvariantCulture));
                }
                console.Write(table);
            }
            if (dbNote is not null) console.MarkupLine(Markup.Escape(dbNote));
            return ExitCodes.Ok;
        }
    }
}

using Espwire.Protocol.At;
using System.CommandLine;
using Espwire.At;
using Espwire.At.Errors;
using Espwire.At.Wifi;
using Espwire.Cli.At;
using Spectre.Console;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire wifi scan | join | status | ip | ping | leave</c>: the seed's Wi-Fi steps, typed and explained.</summary>
internal static class WifiCommand
{
    public static Command Create()
    {
        var command = new Command("wifi",
            "Wi-Fi through the module's AT firmware: scan, join (with the DHCP diagnosis from the seed), status, ip, ping, leave.\n\n" +
            "Examples:\n" +
            "  espwire wifi scan --port /dev/ttyUSB0\n" +
            "  espwire wifi join iptime admin --port /dev/ttyUSB0 --fix-dhcp\n" +
            "  espwire wifi ping 192.168.0.40 --port socket://127.0.0.1:4000");
        command.Subcommands.Add(Scan());
        command.Subcommands.Add(Join());
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Ip());
        command.Subcommands.Add(Ping());
        command.Subcommands.Add(Leave());
        return command;
    }

    private sealed record Common(Option<string> Port, Option<int> Baud, Option<bool> Json);

    private static (Command Command, Common Options) Verb(string name, string description)
    {
        var common = new Common(CommonOptions.Port(), CommonOptions.Baud(), CommonOptions.Json());
        var command = new Command(name, description) { common.Port, common.Baud, common.Json };
        return (command, common);
    }

    private static void Act(Command command, Common common, Func<AtModule, ParseResult, TextWriter, bool, CancellationToken, Task<int>> work)
    {
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            // Progress lines come from the reader's thread.
            var output = TextWriter.Synchronized(pr.InvocationConfiguration.Output);
            await using var module = await DeviceSession.OpenModuleAsync(pr.GetValue(common.Port)!, pr.GetValue(common.Baud), ct).ConfigureAwait(false);
            return await work(module, pr, output, pr.GetValue(common.Json), ct).ConfigureAwait(false);
        });
    }

    private static Command Scan()
    {
        var (command, common) = Verb("scan", "List the 2.4 GHz networks the module hears (AT+CWLAP), strongest first.");
        Act(command, common, async (module, _, output, json, ct) =>
        {
            var aps = await module.Wifi.ScanAsync(ct).ConfigureAwait(false);
            if (json)
            {
                CliJson.Write(output, aps.Select(a => new { a.Ssid, security = a.SecurityName, a.Rssi, a.Channel, a.Bssid }));
                return ExitCodes.Ok;
            }
            if (aps.Count == 0)
            {
                output.WriteLine("No networks found. The ESP8266 hears 2.4 GHz only: check the access point's band and move closer.");
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("SSID", "Security", "RSSI (dBm)", "Signal", "Channel", "BSSID");
            foreach (var ap in aps)
                table.AddRow(Markup.Escape(ap.Ssid.Length == 0 ? "(hidden)" : ap.Ssid), ap.SecurityName, ap.Rssi.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Signal(ap.Rssi), ap.Channel.ToString(System.Globalization.CultureInfo.InvariantCulture), ap.Bssid);
            CliConsole.For(output).Write(table);
            output.WriteLine($"{aps.Count} network{(aps.Count == 1 ? "" : "s")} found.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Signal(int rssi) => rssi switch
    {
        >= -55 => "excellent",
        >= -67 => "good",
        >= -75 => "fair",
        >= -85 => "weak",
        _ => "very weak",
    };

    private static Command Join()
    {
        var (command, common) = Verb("join", "Join a network (AT+CWJAP), show progress, and explain a failure. With --fix-dhcp, the seed's DHCP case is fixed (AT+CWDHCP=1,1) and the join retried.");
        var ssid = new Argument<string>("SSID") { Description = "The network name (2.4 GHz)." };
        var password = new Argument<string>("PASSWORD") { Description = "The password; leave out for an open network.", Arity = ArgumentArity.ZeroOrOne };
        var fixDhcp = new Option<bool>("--fix-dhcp") { Description = "If the join fails right after WIFI CONNECTED because station DHCP is off, turn it on (AT+CWDHCP=1,1) and join again." };
        command.Arguments.Add(ssid);
        command.Arguments.Add(password);
        command.Options.Add(fixDhcp);
        Act(command, common, async (module, pr, output, json, ct) =>
        {
            var name = pr.GetValue(ssid)!;
            var key = pr.GetValue(password) ?? "";
            var progress = json ? null : new SyncProgress<JoinStage>(stage =>
            {
                var line = stage switch
                {
                JoinStage.Sent => $"Joining '{name}'...",
                JoinStage.Associated => "  WIFI CONNECTED: associated with the access point",
                JoinStage.GotIp => "  WIFI GOT IP: address assigned by DHCP",
                JoinStage.Disconnected => "  WIFI DISCONNECT",
                    _ => null,
                };
                if (line is not null) output.WriteLine(line);
            });
            var result = await module.Wifi.JoinAsync(name, key, progress, ct).ConfigureAwait(false);
            var fixApplied = false;
            if (!result.Success && result.Diagnosis is { DhcpOff: true } && pr.GetValue(fixDhcp))
            {
                if (!json)
                {
                    output.WriteLine($"Join failed: {result.Diagnosis.Summary}");
                    output.WriteLine($"Fixing: {result.Diagnosis.FixCommand} (enable station DHCP), then joining again.");
                }
                await module.Wifi.SetStationDhcpAsync(true, persist: true, ct).ConfigureAwait(false);
                fixApplied = true;
                result = await module.Wifi.JoinAsync(name, key, progress, ct).ConfigureAwait(false);
            }
            StationAddresses? addresses = result.Success ? await module.Wifi.GetAddressesAsync(ct).ConfigureAwait(false) : null;
            if (json)
            {
                CliJson.Write(output, new
                {
                    ssid = name,
                    result.Success,
                    failure = result.Success ? null : result.Failure.ToString(),
                    result.Associated,
                    result.GotIp,
                    fixApplied,
                    ip = addresses?.StationIp,
                    mac = addresses?.StationMac,
                    diagnosis = result.Diagnosis,
                    elapsedMs = (int)result.Elapsed.TotalMilliseconds,
                });
                return result.Success ? ExitCodes.Ok : ExitCodes.DeviceError;
            }
            if (result.Success)
            {
                output.WriteLine($"Joined '{name}' in {result.Elapsed.TotalSeconds:0.0} s. IP {addresses?.StationIp ?? "?"}, MAC {addresses?.StationMac ?? "?"}.");
                return ExitCodes.Ok;
            }
            var d = result.Diagnosis!;
            output.WriteLine($"Join failed ({Describe(result.Failure)}): {d.Summary}");
            output.WriteLine($"Next: {d.NextStep}");
            if (d.DhcpOff && !fixApplied)
                output.WriteLine($"Fix it now: espwire wifi join {Quote(name)}{(key.Length > 0 ? " " + Quote(key) : "")} --port {pr.GetValue(common.Port)} --fix-dhcp");
            return ExitCodes.DeviceError;
        });
        return command;
    }

    private static string Quote(string s) => s.Contains(' ', StringComparison.Ordinal) || s.Length == 0 ? $"\"{s}\"" : s;

    private static string Describe(JoinFailure failure) => failure switch
    {
        JoinFailure.Timeout => "+CWJAP:1 timeout",
        JoinFailure.WrongPassword => "+CWJAP:2 wrong password",
        JoinFailure.ApNotFound => "+CWJAP:3 AP not found",
        JoinFailure.ConnectFailed => "+CWJAP:4 connect failed",
        _ => "no code",
    };

    private static Command Status()
    {
        var (command, common) = Verb("status", "Mode, joined network, IP/MAC, DHCP and link status in one view.");
        Act(command, common, async (module, _, output, json, ct) =>
        {
            var mode = await module.Wifi.GetModeAsync(ct).ConfigureAwait(false);
            var network = await module.Wifi.GetCurrentNetworkAsync(ct).ConfigureAwait(false);
            var addresses = await module.Wifi.GetAddressesAsync(ct).ConfigureAwait(false);
            bool? dhcp = null;
            try { dhcp = await module.Wifi.GetStationDhcpAsync(ct).ConfigureAwait(false); }
            catch (Espwire.At.Commands.AtException) { }
            var status = await module.Wifi.GetConnectionStatusAsync(ct).ConfigureAwait(false);
            var statusText = ErrorCatalogue.Find(CatalogueTable.ConnectionStatus, status)?.Meaning ?? $"status {status}";
            if (json)
            {
                CliJson.Write(output, new
                {
                    firmware = module.Firmware.Version,
                    dialect = module.Dialect.Name,
                    mode,
                    network,
                    ip = addresses.StationIp,
                    mac = addresses.StationMac,
                    stationDhcp = dhcp,
                    connectionStatus = status,
                    connectionStatusText = statusText,
                });
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("", "").HideHeaders();
            table.AddRow("Firmware", Markup.Escape($"{module.Firmware.Version} ({module.Dialect.Name})"));
            table.AddRow("Mode", Markup.Escape($"{(int)mode} {ErrorCatalogue.Find(CatalogueTable.WifiMode, (int)mode)?.Name}"));
            table.AddRow("Network", Markup.Escape(network is null ? "not joined (No AP)" : $"{network.Ssid}  {network.Rssi} dBm, channel {network.Channel}, BSSID {network.Bssid}"));
            table.AddRow("IP", Markup.Escape(addresses.StationIp ?? "-"));
            table.AddRow("MAC", Markup.Escape(addresses.StationMac ?? "-"));
            table.AddRow("Station DHCP", dhcp switch { true => "on", false => "off (turn on: AT+CWDHCP=1,1)", _ => "unknown" });
            table.AddRow("Links", Markup.Escape($"STATUS:{status} {statusText}"));
            CliConsole.For(output).Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Ip()
    {
        var (command, common) = Verb("ip", "The station's IP and MAC address (AT+CIFSR).");
        Act(command, common, async (module, _, output, json, ct) =>
        {
            var a = await module.Wifi.GetAddressesAsync(ct).ConfigureAwait(false);
            if (json)
            {
                CliJson.Write(output, a);
                return ExitCodes.Ok;
            }
            output.WriteLine($"IP  {a.StationIp ?? "-"}");
            output.WriteLine($"MAC {a.StationMac ?? "-"}");
            if (a.SoftApIp is not null) output.WriteLine($"Soft-AP IP  {a.SoftApIp}, MAC {a.SoftApMac}");
            if (!a.HasIp) output.WriteLine("No IP address: join a network first (espwire wifi join SSID PASSWORD).");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Ping()
    {
        var (command, common) = Verb("ping", "Ping a host from the module (AT+PING).");
        var host = new Argument<string>("HOST") { Description = "A host name or IP address." };
        command.Arguments.Add(host);
        Act(command, common, async (module, pr, output, json, ct) =>
        {
            var r = await module.Wifi.PingAsync(pr.GetValue(host)!, ct).ConfigureAwait(false);
            if (json) CliJson.Write(output, r);
            else if (r.Reached) output.WriteLine($"Reply from {r.Host}: {r.Milliseconds} ms");
            else output.WriteLine($"No reply from {r.Host} (timeout). Check that Wi-Fi is joined (espwire wifi status) and the host is up.");
            return r.Reached ? ExitCodes.Ok : ExitCodes.DeviceError;
        });
        return command;
    }

    private static Command Leave()
    {
        var (command, common) = Verb("leave", "Leave the network (AT+CWQAP).");
        Act(command, common, async (module, _, output, json, ct) =>
        {
            await module.Wifi.LeaveAsync(ct).ConfigureAwait(false);
            if (json) CliJson.Write(output, new { left = true });
            else output.WriteLine("Left the network. The module joins it again at power-up while auto-connect is on (AT+CWAUTOCONN=0 turns it off).");
            return ExitCodes.Ok;
        });
        return command;
    }
}

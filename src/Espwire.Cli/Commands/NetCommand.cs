using System.CommandLine;
using System.Globalization;
using System.Text;
using Espwire.At.Net;
using Espwire.Cli.At;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire net send | listen</c>: socket communication through the module, as the seed's title says.</summary>
internal static class NetCommand
{
    public static Command Create()
    {
        var command = new Command("net",
            "TCP/UDP through the module's AT firmware (AT+CIPSTART, AT+CIPSEND, AT+CIPSERVER).\n\n" +
            "Examples:\n" +
            "  espwire net send --port /dev/ttyUSB0 --to 192.168.0.40:12345 581\n" +
            "  cat readings.txt | espwire net send --port socket://127.0.0.1:4000 --to 127.0.0.1:12345 --stdin\n" +
            "  espwire net listen --port /dev/ttyUSB0 --local-port 333");
        command.Subcommands.Add(Send());
        command.Subcommands.Add(Listen());
        return command;
    }

    private static Command Send()
    {
        var port = CommonOptions.Port();
        var baud = CommonOptions.Baud();
        var json = CommonOptions.Json();
        var to = new Option<string>("--to") { Description = "HOST:PORT to connect to (port defaults to 12345, the seed's server).", Required = true };
        var text = new Argument<string>("TEXT") { Description = "Text to send; a line ending (CR LF, as the seed's client.println) is added.", Arity = ArgumentArity.ZeroOrOne };
        var stdin = new Option<bool>("--stdin") { Description = "Send standard input as it is, up to end of file, instead of TEXT." };
        var udp = new Option<bool>("--udp") { Description = "Send one UDP datagram per chunk instead of a TCP stream." };
        var noNewline = new Option<bool>("--no-newline") { Description = "Send TEXT without the CR LF." };
        var command = new Command("send", "Open a link from the module to HOST:PORT and send TEXT or standard input, in AT+CIPSEND chunks of at most 2048 bytes.")
        {
            port, baud, json, to, text, stdin, udp, noNewline,
        };
        command.Validators.Add(result =>
        {
            var hasText = result.GetValue(text) is not null;
            var fromStdin = result.GetValue(stdin);
            if (hasText && fromStdin) result.AddError("Give TEXT or --stdin, not both.");
            else if (!hasText && !fromStdin) result.AddError("Nothing to send: give TEXT or --stdin.");
            else if (result.GetValue(to) is { } target)
            {
                try
                {
                    ParseTarget(target);
                }
                catch (UsageException e)
                {
                    result.AddError(e.Message);
                }
            }
        });
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var message = pr.GetValue(text);
            var fromStdin = pr.GetValue(stdin);
            var (host, remotePort) = ParseTarget(pr.GetValue(to)!);
            await using var module = await DeviceSession.OpenModuleAsync(pr.GetValue(port)!, pr.GetValue(baud), ct).ConfigureAwait(false);
            var isUdp = pr.GetValue(udp);
            await using var socket = isUdp
                ? await module.Links.ConnectUdpAsync(host, remotePort, null, ct).ConfigureAwait(false)
                : await module.Links.ConnectTcpAsync(host, remotePort, ct).ConfigureAwait(false);
            long sent;
            var started = DateTime.UtcNow;
            if (fromStdin)
            {
                await using var input = Console.OpenStandardInput();
                await input.CopyToAsync(socket, AtSocket.MaxChunk, ct).ConfigureAwait(false);
                sent = socket.BytesSent;
            }
            else
            {
                var bytes = Encoding.UTF8.GetBytes(pr.GetValue(noNewline) ? message! : message + "\r\n");
                await socket.WriteAsync(bytes, ct).ConfigureAwait(false);
                sent = bytes.Length;
            }
            var elapsed = DateTime.UtcNow - started;
            if (pr.GetValue(json))
                CliJson.Write(output, new { to = $"{host}:{remotePort}", protocol = isUdp ? "udp" : "tcp", link = socket.LinkId, bytes = sent, elapsedMs = (int)elapsed.TotalMilliseconds });
            else
                output.WriteLine($"Sent {sent} bytes to {host}:{remotePort} over {(isUdp ? "UDP" : "TCP")} (link {socket.LinkId}) in {elapsed.TotalSeconds:0.00} s.");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static (string Host, int Port) ParseTarget(string target)
    {
        var t = target.Trim();
        if (t.Length == 0) throw new UsageException("--to is empty; write HOST:PORT, e.g. --to 192.168.0.40:12345.");
        var colon = t.LastIndexOf(':');
        if (colon < 0 || (t.StartsWith('[') && !t.Contains("]:", StringComparison.Ordinal))) return (t.Trim('[', ']'), 12345);
        var host = t[..colon].Trim('[', ']');
        if (host.Length == 0 || !int.TryParse(t[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            throw new UsageException($"'{target}' is not HOST:PORT (port 1-65535), e.g. --to 192.168.0.40:12345.");
        return (host, p);
    }

    private static Command Listen()
    {
        var port = CommonOptions.Port();
        var baud = CommonOptions.Baud();
        var json = CommonOptions.Json();
        var localPort = new Option<int>("--local-port") { Description = "TCP port the module listens on (AT+CIPSERVER=1,N).", Required = true };
        var once = new Option<bool>("--once") { Description = "Stop after the first client disconnects." };
        var command = new Command("listen", "Run a TCP server on the module and print what clients send, one line per chunk, until Ctrl+C.")
        {
            port, baud, json, localPort, once,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(localPort) is < 1 or > 65535) result.AddError("--local-port must be 1-65535.");
        });
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var output = TextWriter.Synchronized(pr.InvocationConfiguration.Output);
            var n = pr.GetValue(localPort);
            var asJson = pr.GetValue(json);
            await using var module = await DeviceSession.OpenModuleAsync(pr.GetValue(port)!, pr.GetValue(baud), ct).ConfigureAwait(false);
            var addresses = await module.Wifi.GetAddressesAsync(ct).ConfigureAwait(false);
            await using var server = await module.Links.ListenAsync(n, ct).ConfigureAwait(false);
            // The emulator's module address is make-believe: say where a client really connects.
            var ip = server.ReachableAt?.Address.ToString() ?? addresses.StationIp;
            var reachablePort = server.ReachableAt?.Port ?? n;
            if (asJson) CliJson.WriteLine(output, new { @event = "listening", ip, port = reachablePort, moduleIp = addresses.StationIp, modulePort = n });
            else if (server.ReachableAt is not null)
                output.WriteLine($"Listening on {ip}:{reachablePort} (the emulated module's {addresses.StationIp ?? "address"}:{n}, mapped to loopback). Ctrl+C stops.");
            else output.WriteLine($"Listening on {ip ?? "the module"}:{n}. Ctrl+C stops.");
            var clients = new List<Task>();
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var client = await server.AcceptAsync(ct).ConfigureAwait(false);
                    var serve = ServeAsync(client, output, asJson, ct);
                    if (pr.GetValue(once))
                    {
                        await serve.ConfigureAwait(false);
                        break;
                    }
                    clients.Add(serve);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            catch (System.Threading.Channels.ChannelClosedException)
            {
                output.WriteLine("The module restarted; the server is gone.");
                return ExitCodes.DeviceError;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task ServeAsync(AtSocket client, TextWriter output, bool json, CancellationToken ct)
    {
        if (json) CliJson.WriteLine(output, new { @event = "connected", link = client.LinkId });
        else output.WriteLine($"[link {client.LinkId}] connected");
        var buffer = new byte[AtSocket.MaxChunk];
        await using (client)
        {
            while (true)
            {
                var n = await client.ReadAsync(buffer, ct).ConfigureAwait(false);
                if (n == 0) break;
                var text = ReplyPrinter.Printable(buffer[..n]);
                if (json) CliJson.WriteLine(output, new { @event = "data", link = client.LinkId, bytes = n, text });
                else output.WriteLine($"[link {client.LinkId}] {text}");
            }
        }
        if (json) CliJson.WriteLine(output, new { @event = "closed", link = client.LinkId, bytes = client.BytesReceived });
        else output.WriteLine($"[link {client.LinkId}] closed after {client.BytesReceived} bytes");
    }
}

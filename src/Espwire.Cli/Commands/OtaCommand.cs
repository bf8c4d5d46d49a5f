using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Espwire.Cli.Ota;
using Espwire.Ota;

namespace Espwire.Cli.Commands;

/// <summary><c>espwire ota HOST firmware.bin</c>: an over-the-air update of a sketch running ArduinoOTA (espota protocol).</summary>
internal static class OtaCommand
{
    public static Command Create()
    {
        var host = new Argument<string>("HOST") { Description = "The device's address (or a name the system resolves); 'espwire devices' lists them." };
        var file = new Argument<FileInfo>("firmware.bin") { Description = "The image: the sketch's .bin (Arduino IDE: Sketch > Export compiled binary), or a filesystem image with --fs." };
        var port = new Option<int>("--ota-port") { Description = "The device's ArduinoOTA port (ArduinoOTA.setPort).", DefaultValueFactory = _ => OtaUploadOptions.DefaultPort };
        var auth = new Option<string?>("--auth") { Description = "The OTA password (ArduinoOTA.setPassword)." };
        var authFile = new Option<FileInfo?>("--auth-file") { Description = "Read the OTA password from the first line of this file (keeps it out of shell history)." };
        var fs = new Option<bool>("--fs") { Description = "The image is a filesystem (SPIFFS/LittleFS) image, not a sketch." };
        var hostPort = new Option<int>("--host-port") { Description = "The TCP port on this computer the device connects back to; 0 picks a free one.", DefaultValueFactory = _ => 0 };
        var command = new Command("ota", "Update a sketch over Wi-Fi (ArduinoOTA / espota): no GPIO0 jumper, no USB cable.\n\n" +
            "Examples:\n" +
            "  espwire devices                                    (find the device and whether it wants a password)\n" +
            "  espwire ota 192.168.0.138 sketch.ino.bin\n" +
            "  espwire ota 192.168.0.138 sketch.ino.bin --auth-file ota-password.txt\n" +
            "  espwire ota 192.168.0.138 littlefs.bin --fs\n" +
            "  espwire emulate --mode sketch --ota --ota-port 8266   then: espwire ota 127.0.0.1 sketch.ino.bin")
        {
            host, file, port, auth, authFile, fs, hostPort,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) => RunAsync(pr, ct));
        return command;

        async Task<int> RunAsync(ParseResult pr, CancellationToken ct)
        {
            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            var devicePort = pr.GetValue(port);
            if (devicePort is < 1 or > 65535) throw new UsageException("--ota-port must be 1..65535 (ArduinoOTA's default is 8266).");
            if (pr.GetValue(hostPort) is < 0 or > 65535) throw new UsageException("--host-port must be 0..65535 (0 picks a free one).");
            if (pr.GetValue(auth) is not null && pr.GetValue(authFile) is not null)
                throw new UsageException("give the password once: --auth PASSWORD or --auth-file FILE, not both.");
            var password = pr.GetValue(auth) ?? ReadPassword(pr.GetValue(authFile));
            var image = ReadImage(pr.GetValue(file)!);
            var hostText = pr.GetValue(host)!;
            var address = await ResolveAsync(hostText, ct).ConfigureAwait(false);
            var kind = pr.GetValue(fs) ? OtaImageKind.Filesystem : OtaImageKind.Flash;
            var uploader = new OtaUploader(new OtaUploadOptions
            {
                DevicePort = devicePort,
                Password = password,
                Kind = kind,
                HostPort = pr.GetValue(hostPort),
                ImageName = pr.GetValue(file)!.Name,
            });
            var view = new OtaProgressView(output);
            try
            {
                var result = await view.RunAsync($"{pr.GetValue(file)!.Name} -> {hostText}",
                    progress => uploader.UploadAsync(address, image, progress, ct)).ConfigureAwait(false);
                var seconds = Math.Max(result.TransferTime.TotalSeconds, 1e-6);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {result.Bytes} bytes to {hostText} in {result.TransferTime.TotalSeconds:0.0} seconds (effective {result.Bytes * 8 / seconds / 1000:0.0} kbit/s){(result.Authenticated ? ", authenticated" : "")}.")).ConfigureAwait(false);
                await output.WriteLineAsync(kind == OtaImageKind.Flash
                    ? "The device answered OK and reboots into the new sketch."
                    : "The device answered OK: the filesystem image is written; the device reboots.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (OtaException e)
            {
                var (what, next) = OtaMessages.Explain(e, hostText, devicePort);
                await error.WriteLineAsync($"espwire ota: {what}\n  next: {next}").ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
            catch (SocketException e)
            {
                await error.WriteLineAsync($"espwire ota: {e.Message} (reaching {hostText}).\n  next: check that this computer is on the device's network; --host-port picks the port the device connects back to.").ConfigureAwait(false);
                return ExitCodes.DeviceError;
            }
        }
    }

    private static string? ReadPassword(FileInfo? file)
    {
        if (file is null) return null;
        try
        {
            using var reader = file.OpenText();
            var line = reader.ReadLine();
            if (string.IsNullOrEmpty(line)) throw new UsageException($"--auth-file {file.Name}: the file is empty; put the password on its first line.");
            return line;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--auth-file {file.FullName}: {e.Message}");
        }
    }

    private static byte[] ReadImage(FileInfo file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file.FullName);
            if (bytes.Length == 0) throw new UsageException($"{file.Name} is empty.");
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file.FullName}: {e.Message}");
        }
    }

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) return address;
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new UsageException($"cannot resolve '{host}': give the device's IP address ('espwire devices' lists them).");
        }
    }
}

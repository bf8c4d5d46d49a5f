using System.Diagnostics;
using System.Net;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>The emulator as pyserial sees it (scripts/test.sh installs python3-serial): socket:// and a pty path.</summary>
public class PyserialPeerTests
{
    // Sends AT+CWMODE? and prints the reply's bytes as a Python repr, reading until OK or 20 s.
    private const string Script = """
import sys, time, serial
port = serial.serial_for_url(sys.argv[1], baudrate=115200, timeout=0.2)
port.write(b"AT\r\n")
got = b""
deadline = time.time() + 20
while b"\r\nOK\r\n" not in got and time.time() < deadline:
    got += port.read(256)
port.reset_input_buffer()
port.write(b"AT+CWMODE?\r\n")
got = b""
while b"OK\r\n" not in got and time.time() < deadline:
    got += port.read(256)
print(repr(got))
""";

    private static async Task<string> RunPyserialAsync(string url)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(url);
        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(HostEnd.Timeout);
        var output = await process.StandardOutput.ReadToEndAsync(cts.Token);
        var error = await process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"python3 failed ({process.ExitCode}): {error}");
        return output.Trim();
    }

    [Fact]
    public async Task Pyserial_socket_url_talks_to_the_module()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0 },
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
        });
        Assert.Equal("b'AT+CWMODE?\\r\\r\\n+CWMODE:1\\r\\n\\r\\nOK\\r\\n'", await RunPyserialAsync(host.Modules[0].PortString));
    }

    [Fact]
    public async Task Pyserial_opens_the_pty_like_a_cp2102()
    {
        await using var host = await EmulatorHost.StartAsync(new EmulatorHostOptions
        {
            Module = new ModuleOptions { TimeScale = 0, Dialect = FirmwareDialect.EspAt },
            Pty = true,
        });
        Assert.Equal("b'AT+CWMODE?\\r\\n+CWMODE:1\\r\\n\\r\\nOK\\r\\n'", await RunPyserialAsync(host.Modules[0].PtyPath!));
    }
}

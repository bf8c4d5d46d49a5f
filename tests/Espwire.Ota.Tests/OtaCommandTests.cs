using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Cli;
using Espwire.Testing;

namespace Espwire.Ota.Tests;

public sealed class OtaCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("espwire-ota-").FullName;

    private string WriteImage(byte[] image)
    {
        var path = Path.Combine(_dir, "firmware.bin");
        File.WriteAllBytes(path, image);
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(args, output, error).WaitAsync(TimeSpan.FromSeconds(120));
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Ota_with_auth_sends_the_exact_espota_lines_and_the_image()
    {
        using var device = new StandInArduinoOta(password: "admin");
        var image = EspotaLinesTests.VectorImage();
        var path = WriteImage(image);
        var (code, output, error) = await RunAsync("ota", "127.0.0.1", path, "--ota-port", device.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--auth", "admin");
        Assert.True(code == 0, error);
        await device.Finished.WaitAsync(TimeSpan.FromSeconds(60));
        var invitation = Encoding.ASCII.GetString(device.Invitation!);
        Assert.Matches("^0 [0-9]+ 1025 37beba964637e82bf8fcf2d9420182d5\n$", invitation);
        Assert.Equal("200 cfa92b469c9ddca57b0f6318a1628088 d93df50eeb15dba5e8655cd76b9744e1\n"u8.ToArray(), device.AuthLine);
        Assert.Equal(image, device.Received.ToArray());
        Assert.Contains("Wrote 1025 bytes to 127.0.0.1", output, StringComparison.Ordinal);
        Assert.Contains("authenticated", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ota_password_from_a_file_and_wrong_password_exit_1_in_plain_words()
    {
        using var device = new StandInArduinoOta(password: "admin");
        var authFile = Path.Combine(_dir, "pw.txt");
        await File.WriteAllTextAsync(authFile, "not-admin\n");
        var (code, _, error) = await RunAsync("ota", "127.0.0.1", WriteImage(EspotaLinesTests.VectorImage()), "--ota-port", device.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--auth-file", authFile);
        Assert.Equal(1, code);
        Assert.Contains("wrong password", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ota_md5_mismatch_reported_by_the_device_exits_1()
    {
        using var device = new StandInArduinoOta(password: null, finalWord: "ERROR[7]: MD5 verification failed: expected: 0, calculated: 1\n");
        var (code, _, error) = await RunAsync("ota", "127.0.0.1", WriteImage(EspotaLinesTests.VectorImage()), "--ota-port", device.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.Contains("MD5 mismatch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ota_with_nobody_listening_asks_whether_the_sketch_runs_ArduinoOTA()
    {
        // Closed (datagrams to it are refused) but held by the test: nobody else's socket gets the invitation.
        using var closed = HeldPort.ClosedUdp();
        var port = closed.Port;
        var (code, _, error) = await RunAsync("ota", "127.0.0.1", WriteImage([0xE9, 0, 0, 0]), "--ota-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, code);
        Assert.Contains("is the sketch running ArduinoOTA", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ota_usage_errors_exit_2()
    {
        var image = WriteImage([0xE9, 0]);
        Assert.Equal(2, (await RunAsync("ota", "127.0.0.1", image, "--auth", "a", "--auth-file", image)).Code);
        Assert.Equal(2, (await RunAsync("ota", "127.0.0.1", Path.Combine(_dir, "missing.bin"))).Code);
        Assert.Equal(2, (await RunAsync("ota", "127.0.0.1", image, "--ota-port", "70000")).Code);
        Assert.Equal(2, (await RunAsync("ota", "127.0.0.1")).Code);
    }

    [Fact]
    public async Task Ota_to_the_emulator_from_the_command_line()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(password: "pw");
        var image = EmulatedOtaDevice.Image(300 * 1024, seed: 11);
        var reboot = device.ExpectReboot();
        var (code, output, error) = await RunAsync("ota", "127.0.0.1", WriteImage(image), "--ota-port", device.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--auth", "pw");
        Assert.True(code == 0, error);
        Assert.Contains("Uploading", output, StringComparison.Ordinal);
        await reboot;
        Assert.Equal(image, device.Flash.Read(0, image.Length));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

public class EmulateOtaOptionTests
{
    [Theory]
    [InlineData("emulate", "--ota")]                                        // needs --mode sketch
    [InlineData("emulate", "--mode", "sketch", "--ota-password", "pw")]     // needs --ota
    [InlineData("emulate", "--mode", "sketch", "--ota", "--ota-port", "70000")]
    public async Task Ota_options_without_their_context_are_usage_errors(params string[] args)
    {
        var error = new StringWriter();
        var code = await Espwire.Cli.EspwireCli.RunAsync(args, new StringWriter(), error).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, code);
        Assert.Contains("--", error.ToString(), StringComparison.Ordinal);
    }
}

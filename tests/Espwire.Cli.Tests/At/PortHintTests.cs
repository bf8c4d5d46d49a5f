using System.Text.RegularExpressions;
using Espwire.Cli;
using Espwire.Testing;
using static Espwire.Cli.Tests.At.CliHarness;

namespace Espwire.Cli.Tests.At;

/// <summary>A refused network port's hint names an emulate command line that is itself valid: the test runs it and connects.</summary>
public partial class PortHintTests
{
    [Theory]
    [InlineData("rfc2217")]
    [InlineData("socket")]
    public async Task The_connection_refused_hint_starts_an_emulator_the_port_then_reaches(string scheme)
    {
        // A port nothing listens on, held by the test until the end: no other test's listener gets it in between,
        // and the emulator the hint names can still bind it (see HeldPort).
        using var held = HeldPort.Tcp();
        var free = held.Port;
        var port = $"{scheme}://127.0.0.1:{free}";
        var (exit, _, error) = await RunAsync("at", "--port", port, "AT");
        Assert.Equal(1, exit);
        var hinted = EmulateCommand().Match(error);
        Assert.True(hinted.Success, error);
        var args = hinted.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"127.0.0.1:{free}", args);

        var output = new SignallingWriter();
        var emulateError = new StringWriter();
        using var stop = new CancellationTokenSource();
        var emulate = EspwireCli.RunAsync(["emulate", .. args], output, emulateError, stop.Token);
        await Task.WhenAny(output.WaitForAsync("Ctrl+C stops"), emulate).Unwrap().WaitAsync(TestTimeouts.Patience);
        Assert.False(emulate.IsCompleted, $"emulate {string.Join(' ', args)} ended: {output}{emulateError}");

        var (again, answer, againError) = await RunAsync("at", "--port", port, "AT");
        Assert.True(again == 0, answer + againError);
        Assert.Contains("OK", answer, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await emulate.WaitAsync(TestTimeouts.Patience));
    }

    [Fact]
    public async Task The_rfc2217_hint_for_the_flash_verbs_starts_a_bootloader_that_flash_info_then_reads()
    {
        using var held = HeldPort.Tcp();
        var free = held.Port;
        var port = $"rfc2217://127.0.0.1:{free}";
        var (exit, _, error) = await RunAsync("flash", "info", "--port", port);
        Assert.Equal(1, exit);
        Assert.Contains("add --mode bootloader for the flash verbs", error, StringComparison.Ordinal);
        var args = EmulateCommand().Match(error).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var output = new SignallingWriter();
        using var stop = new CancellationTokenSource();
        var emulate = EspwireCli.RunAsync(["emulate", .. args, "--mode", "bootloader"], output, new StringWriter(), stop.Token);
        await Task.WhenAny(output.WaitForAsync("Ctrl+C stops"), emulate).Unwrap().WaitAsync(TestTimeouts.Patience);
        Assert.False(emulate.IsCompleted, output.ToString());

        var (again, answer, againError) = await RunAsync("flash", "info", "--port", port);
        Assert.True(again == 0, answer + againError);
        Assert.Contains("ESP8266", answer, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(0, await emulate.WaitAsync(TestTimeouts.Patience));
    }

    // The command the hint names, up to the parenthesis or the comma that ends it.
    [GeneratedRegex(@"espwire emulate ([^(),]+?)(?: \(|\)|,)")]
    private static partial Regex EmulateCommand();
}

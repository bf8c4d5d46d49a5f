namespace Espwire.Emulator.Tests.Support;

/// <summary>Expected bytes of a command's response, per dialect, after the echo.</summary>
internal static class Golden
{
    /// <summary>What each dialect echoes for a command line: 1.x CR CR LF, 2.x the bytes as sent.</summary>
    public static string Echo(FirmwareDialect dialect, string command)
        => dialect == FirmwareDialect.NonOs ? command + "\r\r\n" : command + "\r\n";

    /// <summary>The last line of a response, used to know when it has all arrived.</summary>
    public static string Tail(string expected)
    {
        var trimmed = expected.EndsWith("\r\n", StringComparison.Ordinal) ? expected[..^2] : expected;
        var at = trimmed.LastIndexOf("\r\n", StringComparison.Ordinal);
        return (at < 0 ? trimmed : trimmed[(at + 2)..]) + "\r\n";
    }

    public static async Task<string> RunAsync(HostEnd host, FirmwareDialect dialect, string command, string expectedAfterEcho)
    {
        await host.SendAsync(command + "\r\n");
        return await host.ReadUntilAsync(Tail(Echo(dialect, command) + expectedAfterEcho));
    }

    public static async Task JoinAsync(HostEnd host, FirmwareDialect dialect)
    {
        var cmd = "AT+CWJAP=\"iptime\",\"admin\"";
        Assert.Equal(Echo(dialect, cmd) + "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n", await RunAsync(host, dialect, cmd, "\r\nOK\r\n"));
    }
}

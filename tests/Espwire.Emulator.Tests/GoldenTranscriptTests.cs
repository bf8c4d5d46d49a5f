using Espwire.Protocol.At;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>Byte-exact responses (echo, blank lines, final result) for every command in both dialects.</summary>
public class GoldenTranscriptTests
{
    private const string Mac = "18:fe:34:a1:b2:c3";
    private const string Bssid = "88:36:6c:1a:2b:3c";

    /// <summary>(command, 1.7 response, 2.2 response, needs a joined station).</summary>
    public static TheoryData<string, string, string, bool> Commands => new()
    {
        { "AT", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWMODE?", "+CWMODE:1\r\n\r\nOK\r\n", "+CWMODE:1\r\n\r\nOK\r\n", false },
        { "AT+CWMODE=1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWMODE=4", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWMODE_CUR?", "+CWMODE_CUR:1\r\n\r\nOK\r\n", "\r\nERROR\r\n", false },
        { "AT+CWMODE_DEF=1", "\r\nOK\r\n", "\r\nERROR\r\n", false },
        { "AT+CWLAP", $"+CWLAP:(3,\"iptime\",-88,\"{Bssid}\",6,-26,0,4,4,7,1)\r\n\r\nOK\r\n", $"+CWLAP:(3,\"iptime\",-88,\"{Bssid}\",6,-26,0,4,4,7,1)\r\n\r\nOK\r\n", false },
        { "AT+CWLAP=\"nothere\"", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWLAPOPT=1,31", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWLAPOPT=2,31", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWJAP?", "No AP\r\n\r\nOK\r\n", "No AP\r\n\r\nOK\r\n", false },
        { "AT+CWJAP?", $"+CWJAP:\"iptime\",\"{Bssid}\",6,-88\r\n\r\nOK\r\n", $"+CWJAP:\"iptime\",\"{Bssid}\",6,-88,0,1,3,0,1\r\n\r\nOK\r\n", true },
        { "AT+CWJAP_CUR?", $"+CWJAP_CUR:\"iptime\",\"{Bssid}\",6,-88\r\n\r\nOK\r\n", "\r\nERROR\r\n", true },
        { "AT+CWJAP=\"iptime\",\"wrong-pass\"", "+CWJAP:2\r\n\r\nFAIL\r\n", "+CWJAP:2\r\n\r\nERROR\r\n", false },
        { "AT+CWJAP=\"nothere\",\"whatever1\"", "+CWJAP:3\r\n\r\nFAIL\r\n", "+CWJAP:3\r\n\r\nERROR\r\n", false },
        { "AT+CWJAP=\"iptime_5G\",\"admin\"", "+CWJAP:3\r\n\r\nFAIL\r\n", "+CWJAP:3\r\n\r\nERROR\r\n", false },
        { "AT+CWJAP=\"iptime\",\"admin\"", "WIFI DISCONNECT\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n", "WIFI DISCONNECT\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n", true },
        { "AT+CWJAP=iptime,admin", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWQAP", "\r\nOK\r\nWIFI DISCONNECT\r\n", "\r\nOK\r\nWIFI DISCONNECT\r\n", true },
        { "AT+CWQAP", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWDHCP?", "+CWDHCP:3\r\n\r\nOK\r\n", "+CWDHCP:3\r\n\r\nOK\r\n", false },
        { "AT+CWDHCP=1,1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWDHCP=3,1", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWDHCP_CUR?", "+CWDHCP_CUR:3\r\n\r\nOK\r\n", "\r\nERROR\r\n", false },
        { "AT+CWAUTOCONN?", "+CWAUTOCONN:1\r\n\r\nOK\r\n", "+CWAUTOCONN:1\r\n\r\nOK\r\n", false },
        { "AT+CWAUTOCONN=0", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CWAUTOCONN=2", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIFSR", $"+CIFSR:STAIP,\"0.0.0.0\"\r\n+CIFSR:STAMAC,\"{Mac}\"\r\n\r\nOK\r\n", $"+CIFSR:STAIP,\"0.0.0.0\"\r\n+CIFSR:STAMAC,\"{Mac}\"\r\n\r\nOK\r\n", false },
        { "AT+CIFSR", $"+CIFSR:STAIP,\"192.168.0.138\"\r\n+CIFSR:STAMAC,\"{Mac}\"\r\n\r\nOK\r\n", $"+CIFSR:STAIP,\"192.168.0.138\"\r\n+CIFSR:STAMAC,\"{Mac}\"\r\n\r\nOK\r\n", true },
        { "AT+CIPSTA?", "+CIPSTA:ip:\"192.168.0.138\"\r\n+CIPSTA:gateway:\"192.168.0.1\"\r\n+CIPSTA:netmask:\"255.255.255.0\"\r\n\r\nOK\r\n", "+CIPSTA:ip:\"192.168.0.138\"\r\n+CIPSTA:gateway:\"192.168.0.1\"\r\n+CIPSTA:netmask:\"255.255.255.0\"\r\n\r\nOK\r\n", true },
        { "AT+CIPSTA_CUR?", "+CIPSTA_CUR:ip:\"0.0.0.0\"\r\n+CIPSTA_CUR:gateway:\"0.0.0.0\"\r\n+CIPSTA_CUR:netmask:\"0.0.0.0\"\r\n\r\nOK\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSTA=\"192.168.0.150\"", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CIPSTA=\"300.1.1.1\"", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+PING=\"www.google.com\"", "+38\r\n\r\nOK\r\n", "+PING:38\r\n\r\nOK\r\n", true },
        { "AT+PING=\"192.168.0.40\"", "+4\r\n\r\nOK\r\n", "+PING:4\r\n\r\nOK\r\n", true },
        { "AT+PING=\"www.google.com\"", "+timeout\r\n\r\nERROR\r\n", "+PING:TIMEOUT\r\n\r\nERROR\r\n", false },
        { "AT+PING=\"no.such.name\"", "+timeout\r\n\r\nERROR\r\n", "+PING:TIMEOUT\r\n\r\nERROR\r\n", true },
        { "AT+CIPDOMAIN=\"www.google.com\"", "+CIPDOMAIN:142.250.196.100\r\n\r\nOK\r\n", "+CIPDOMAIN:\"142.250.196.100\"\r\n\r\nOK\r\n", true },
        { "AT+CIPDOMAIN=\"no.such.name\"", "DNS Fail\r\n\r\nERROR\r\n", "DNS Fail\r\n\r\nERROR\r\n", true },
        { "AT+CIPMUX?", "+CIPMUX:0\r\n\r\nOK\r\n", "+CIPMUX:0\r\n\r\nOK\r\n", false },
        { "AT+CIPMUX=1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CIPMUX=2", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSTATUS", "STATUS:5\r\n\r\nOK\r\n", "STATUS:5\r\n\r\nOK\r\n", false },
        { "AT+CIPSTATUS", "STATUS:2\r\n\r\nOK\r\n", "STATUS:2\r\n\r\nOK\r\n", true },
        { "AT+CIPSTO?", "+CIPSTO:180\r\n\r\nOK\r\n", "+CIPSTO:180\r\n\r\nOK\r\n", false },
        { "AT+CIPSTO=7201", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPMODE?", "+CIPMODE:0\r\n\r\nOK\r\n", "+CIPMODE:0\r\n\r\nOK\r\n", false },
        { "AT+CIPMODE=1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CIPDINFO=1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CIPRECVMODE?", "+CIPRECVMODE:0\r\n\r\nOK\r\n", "+CIPRECVMODE:0\r\n\r\nOK\r\n", false },
        { "AT+CIPRECVMODE=1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+CIPRECVLEN?", "+CIPRECVLEN:0,0,0,0,0\r\n\r\nOK\r\n", "+CIPRECVLEN:0,0,0,0,0\r\n\r\nOK\r\n", false },
        { "AT+CIPRECVDATA=100", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSERVER=1,8080", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSERVER?", "+CIPSERVER:0\r\n\r\nOK\r\n", "+CIPSERVER:0\r\n\r\nOK\r\n", false },
        { "AT+CIPCLOSE", "UNLINK\r\n\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSEND=4", "link is not valid\r\n\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSEND=4096", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CIPSTART=\"TCP\",\"10.1.2.3\",80", "\r\nERROR\r\nCLOSED\r\n", "\r\nERROR\r\n", true },
        { "AT+CIPSTART=\"TCP\",\"no.such.name\",80", "DNS Fail\r\n\r\nERROR\r\n", "DNS Fail\r\n\r\nERROR\r\n", true },
        { "AT+CIPSTART=\"TCP\",\"192.168.0.40\",80", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+UART_CUR?", "+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n", "+UART_CUR:115200,8,1,0,0\r\n\r\nOK\r\n", false },
        { "AT+UART_DEF?", "+UART_DEF:115200,8,1,0,0\r\n\r\nOK\r\n", "+UART_DEF:115200,8,1,0,0\r\n\r\nOK\r\n", false },
        { "AT+UART_CUR=115200,8,1,0,0", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+UART_CUR=115200,9,1,0,0", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+SYSRAM?", "+SYSRAM:47144\r\n\r\nOK\r\n", "+SYSRAM:47144,38912\r\n\r\nOK\r\n", false },
        { "AT+SYSSTORE?", "\r\nERROR\r\n", "+SYSSTORE:1\r\n\r\nOK\r\n", false },
        { "AT+SYSSTORE=0", "\r\nERROR\r\n", "\r\nOK\r\n", false },
        { "ATE1", "\r\nOK\r\n", "\r\nOK\r\n", false },
        { "AT+NOSUCH", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWMODE=\"1\"", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "AT+CWJAP=\"unterminated", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "at", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
        { "HELLO", "\r\nERROR\r\n", "\r\nERROR\r\n", false },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Response_is_byte_exact_in_1_7(string command, string v17, string v22, bool joined)
    {
        _ = v22;
        await CheckAsync(FirmwareDialect.NonOs, command, v17, joined);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Response_is_byte_exact_in_2_2(string command, string v17, string v22, bool joined)
    {
        _ = v17;
        await CheckAsync(FirmwareDialect.EspAt, command, v22, joined);
    }

    private static async Task CheckAsync(FirmwareDialect dialect, string command, string expected, bool joined)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        if (joined) await Golden.JoinAsync(h.Host, dialect);
        Assert.Equal(HostEnd.Escape(Golden.Echo(dialect, command) + expected), HostEnd.Escape(await Golden.RunAsync(h.Host, dialect, command, expected)));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs, "+CWDHCP:3")]
    [InlineData(FirmwareDialect.EspAt, "+CWDHCP:2")]
    public async Task Cwdhcp_0_1_means_ap_on_in_1_7_and_station_off_in_2_2(FirmwareDialect dialect, string after)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CWDHCP=0,1", "\r\nOK\r\n");
        Assert.EndsWith(after + "\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CWDHCP?", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Cwlapopt_mask_and_sort_shape_the_scan(FirmwareDialect dialect)
    {
        var world = World.WifiWorld.Default with
        {
            AccessPoints =
            [
                new World.VirtualAccessPoint { Ssid = "weak", Password = "password1", Rssi = -90, Channel = 1, Bssid = "aa:aa:aa:aa:aa:01" },
                new World.VirtualAccessPoint { Ssid = "strong", Security = Security.Open, Rssi = -40, Channel = 11, Bssid = "aa:aa:aa:aa:aa:02" },
            ],
        };
        await using var h = await ModuleHarness.StartAsync(new ModuleOptions { Dialect = dialect, World = world });
        await Golden.RunAsync(h.Host, dialect, "AT+CWLAPOPT=1,31", "\r\nOK\r\n");
        Assert.Equal(
            Golden.Echo(dialect, "AT+CWLAP") + "+CWLAP:(0,\"strong\",-40,\"aa:aa:aa:aa:aa:02\",11)\r\n+CWLAP:(3,\"weak\",-90,\"aa:aa:aa:aa:aa:01\",1)\r\n\r\nOK\r\n",
            await Golden.RunAsync(h.Host, dialect, "AT+CWLAP", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs, "FAIL")]
    [InlineData(FirmwareDialect.EspAt, "ERROR")]
    public async Task Seeds_dhcp_disabled_join_fails_until_cwdhcp_1_1(FirmwareDialect dialect, string final)
    {
        await using var h = await ModuleHarness.StartAsync(new ModuleOptions { Dialect = dialect, World = World.WifiWorld.Default.WithStationDhcpOff() });
        var join = "AT+CWJAP=\"iptime\",\"admin\"";
        Assert.Equal(
            Golden.Echo(dialect, join) + $"WIFI CONNECTED\r\n+CWJAP:1\r\n\r\n{final}\r\nWIFI DISCONNECT\r\n",
            await Golden.RunAsync(h.Host, dialect, join, "WIFI DISCONNECT\r\n"));
        Assert.Equal(Golden.Echo(dialect, "AT+CWDHCP=1,1") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CWDHCP=1,1", "\r\nOK\r\n"));
        await Golden.JoinAsync(h.Host, dialect);
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Ate0_turns_echo_off(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        Assert.Equal(Golden.Echo(dialect, "ATE0") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "ATE0", "\r\nOK\r\n"));
        await h.Host.SendAsync("AT+CWMODE?\r\n");
        Assert.Equal("+CWMODE:1\r\n\r\nOK\r\n", await h.Host.ReadUntilAsync("OK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Rst_answers_ok_then_reboots_to_ready_with_echo_back_on(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "ATE0", "\r\nOK\r\n");
        await h.Host.SendAsync("AT+RST\r\n");
        Assert.Equal("\r\nOK\r\n", await h.Host.ReadUntilAsync("OK\r\n"));
        var boot = await h.Host.ReadUntilAsync("\r\nready\r\n");
        Assert.True(boot.Length > 40, "boot text expected before ready");
        Assert.Equal(Golden.Echo(dialect, "AT") + "\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT", "\r\nOK\r\n"));
        Assert.Equal(2, h.Module.BootCount);
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Restore_answers_ok_and_returns_to_factory_settings(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        await Golden.RunAsync(h.Host, dialect, "AT+CWAUTOCONN=0", "\r\nOK\r\n");
        Assert.False(h.Module.Flash.Current.AutoConnect);
        await h.Host.SendAsync("AT+RESTORE\r\n");
        await h.Host.ReadUntilAsync("OK\r\n");
        await h.Host.ReadUntilAsync("\r\nready\r\n");
        Assert.True(h.Module.Flash.Current.AutoConnect);
        Assert.EndsWith("+CWAUTOCONN:1\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, dialect, "AT+CWAUTOCONN?", "\r\nOK\r\n"));
    }

    [Theory]
    [InlineData(FirmwareDialect.NonOs)]
    [InlineData(FirmwareDialect.EspAt)]
    public async Task Gmr_names_the_dialects_version(FirmwareDialect dialect)
    {
        await using var h = await ModuleHarness.StartAsync(dialect);
        var text = await Golden.RunAsync(h.Host, dialect, "AT+GMR", "OK\r\n");
        if (dialect == FirmwareDialect.NonOs)
            Assert.Contains("AT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\n", text);
        else
            Assert.EndsWith("Bin version:2.2.0(Cytron_ESP-12F_WROOM-02)\r\n\r\nOK\r\n", text);
    }
}

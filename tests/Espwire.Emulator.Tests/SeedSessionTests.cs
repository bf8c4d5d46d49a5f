using System.IO.Ports;
using System.Net;
using System.Net.Sockets;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Tests.Support;

namespace Espwire.Emulator.Tests;

/// <summary>The seed's AT session, in its order, over a pseudo-terminal (System.IO.Ports) and over a socket.</summary>
public class SeedSessionTests
{
    /// <summary>The seed's commands and what the 1.7 firmware answers, the module having DHCP off at first.</summary>
    private static readonly (string Command, string Reply)[] Session =
    [
        ("AT", "AT\r\r\n\r\nOK\r\n"),
        ("AT+GMR", "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\ncompile time:May 27 2020 10:12:17\r\nBin version(Wroom 02):1.7.4\r\nOK\r\n"),
        ("AT+CWMODE?", "AT+CWMODE?\r\r\n+CWMODE:1\r\n\r\nOK\r\n"),
        ("AT+CWMODE=1", "AT+CWMODE=1\r\r\n\r\nOK\r\n"),
        ("AT+CWLAP", "AT+CWLAP\r\r\n+CWLAP:(3,\"iptime\",-88,\"88:36:6c:1a:2b:3c\",6,-26,0,4,4,7,1)\r\n\r\nOK\r\n"),
        ("AT+CWJAP=\"iptime\",\"admin\"", "AT+CWJAP=\"iptime\",\"admin\"\r\r\nWIFI CONNECTED\r\n+CWJAP:1\r\n\r\nFAIL\r\nWIFI DISCONNECT\r\n"),
        ("AT+CWDHCP=1,1", "AT+CWDHCP=1,1\r\r\n\r\nOK\r\n"),
        ("AT+CWJAP=\"iptime\",\"admin\"", "AT+CWJAP=\"iptime\",\"admin\"\r\r\nWIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n"),
        ("AT+CIFSR", "AT+CIFSR\r\r\n+CIFSR:STAIP,\"192.168.0.138\"\r\n+CIFSR:STAMAC,\"18:fe:34:a1:b2:c3\"\r\n\r\nOK\r\n"),
        ("AT+PING=\"www.google.com\"", "AT+PING=\"www.google.com\"\r\r\n+38\r\n\r\nOK\r\n"),
        ("AT+CWQAP", "AT+CWQAP\r\r\n\r\nOK\r\nWIFI DISCONNECT\r\n"),
    ];

    private static EmulatorHostOptions Options(bool pty) => new()
    {
        Module = new ModuleOptions { TimeScale = 0, World = World.WifiWorld.Default.WithStationDhcpOff() },
        Pty = pty,
        Listen = pty ? null : new IPEndPoint(IPAddress.Loopback, 0),
    };

    private static async Task RunSessionAsync(HostEnd end)
    {
        foreach (var (command, reply) in Session)
        {
            await end.SendAsync(command + "\r\n");
            Assert.Equal(HostEnd.Escape(reply), HostEnd.Escape(await end.ReadUntilAsync(Golden.Tail(reply))));
        }
    }

    [Fact]
    public async Task Seed_session_over_a_socket()
    {
        await using var host = await EmulatorHost.StartAsync(Options(pty: false));
        Assert.StartsWith("socket://127.0.0.1:", host.Modules[0].PortString);
        using var client = new TcpClient();
        await client.ConnectAsync(host.Modules[0].Endpoint!);
        await RunSessionAsync(new HostEnd(client.GetStream()));
    }

    [Fact]
    public async Task Seed_session_over_a_pseudo_terminal_opened_with_system_io_ports()
    {
        Assert.True(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "pseudo-terminals need Linux or macOS");
        await using var host = await EmulatorHost.StartAsync(Options(pty: true));
        var path = host.Modules[0].PtyPath!;
        Assert.StartsWith("/dev/", path);
        using var port = new SerialPort(path, 115200, Parity.None, 8, StopBits.One) { ReadTimeout = 30_000, WriteTimeout = 30_000 };
        port.Open();
        var end = new HostEnd(port.BaseStream);
        // Boot output from before the port opened may or may not be in the pty: sync as hosts do, with an AT.
        await end.SendAsync("AT\r\n");
        await end.ReadUntilAsync("\r\nOK\r\n");
        await RunSessionAsync(end);
    }

    [Fact]
    public async Task Joined_network_survives_a_restart_through_the_state_file()
    {
        var state = Path.Combine(Path.GetTempPath(), $"espwire-state-{Guid.NewGuid():N}.json");
        try
        {
            await using (var h = await ModuleHarness.StartAsync(new ModuleOptions { StateFile = state }))
            {
                await Golden.JoinAsync(h.Host, FirmwareDialect.NonOs);
                await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWMODE_DEF=3", "\r\nOK\r\n");
                await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CIPSTA_CUR=\"192.168.0.77\"", "\r\nOK\r\n");
            }
            Assert.True(File.Exists(state));
            // A new process: the module boots, rejoins the saved network by itself, and keeps _DEF but not _CUR.
            await using var again = await ModuleHarness.StartAsync(new ModuleOptions { StateFile = state });
            Assert.Equal("WIFI CONNECTED\r\nWIFI GOT IP\r\n", await again.Host.ReadUntilAsync("WIFI GOT IP\r\n"));
            Assert.EndsWith("+CWMODE:3\r\n\r\nOK\r\n", await Golden.RunAsync(again.Host, FirmwareDialect.NonOs, "AT+CWMODE?", "\r\nOK\r\n"));
            Assert.Contains("+CIFSR:STAIP,\"192.168.0.138\"", await Golden.RunAsync(again.Host, FirmwareDialect.NonOs, "AT+CIFSR", "\r\nOK\r\n"));
        }
        finally
        {
            File.Delete(state);
        }
    }

    [Fact]
    public async Task Cur_settings_are_lost_at_rst_and_def_settings_kept()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.NonOs);
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWMODE_CUR=2", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWDHCP_DEF=1,0", "\r\nOK\r\n");
        await h.Host.SendAsync("AT+RST\r\n");
        await h.Host.ReadUntilAsync("\r\nready\r\n");
        Assert.EndsWith("+CWMODE:1\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWMODE?", "\r\nOK\r\n"));
        Assert.EndsWith("+CWDHCP:1\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+CWDHCP?", "\r\nOK\r\n"));
    }

    [Fact]
    public async Task Sysstore_0_keeps_2_2_settings_out_of_flash()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.EspAt);
        await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, "AT+SYSSTORE=0", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, "AT+CWMODE=3", "\r\nOK\r\n");
        Assert.Equal(1, h.Module.Flash.Current.WifiMode);
        await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, "AT+SYSSTORE=1", "\r\nOK\r\n");
        await Golden.RunAsync(h.Host, FirmwareDialect.EspAt, "AT+CWMODE=2", "\r\nOK\r\n");
        Assert.Equal(2, h.Module.Flash.Current.WifiMode);
    }

    [Fact]
    public async Task Uart_cur_changes_the_modules_baud_rate_after_ok()
    {
        await using var h = await ModuleHarness.StartAsync(FirmwareDialect.NonOs);
        Assert.Equal(115200, h.Module.BaudRate);
        await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+UART_CUR=921600,8,1,0,0", "\r\nOK\r\n");
        Assert.Equal(921600, h.Module.BaudRate);
        Assert.Equal(115200, h.Module.Flash.Current.UartBaud);
        Assert.EndsWith("+UART_CUR:921600,8,1,0,0\r\n\r\nOK\r\n", await Golden.RunAsync(h.Host, FirmwareDialect.NonOs, "AT+UART_CUR?", "\r\nOK\r\n"));
    }
}

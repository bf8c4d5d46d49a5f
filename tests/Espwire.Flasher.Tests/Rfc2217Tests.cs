using System.Diagnostics;
using System.Net;
using Espwire.Emulator;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Hosting;
using Espwire.Emulator.Rfc2217;
using Espwire.Flasher.Reset;
using Espwire.Flasher.Session;
using Espwire.Flasher.Tests.Support;
using Espwire.Ports;
using Espwire.Testing;

namespace Espwire.Flasher.Tests;

public class Rfc2217Tests
{
    [Fact]
    public void Data_0xFF_is_doubled_and_undoubled()
    {
        var wire = Rfc2217Decoder.Escape([0x01, 0xFF, 0x02, 0xFF, 0xFF]);
        Assert.Equal(new byte[] { 0x01, 0xFF, 0xFF, 0x02, 0xFF, 0xFF, 0xFF, 0xFF }, wire);
        var decoder = new Rfc2217Decoder();
        var data = new byte[wire.Length];
        var n = 0;
        foreach (var b in wire) n += decoder.Decode([b], data.AsSpan(n)); // one byte at a time
        Assert.Equal(new byte[] { 0x01, 0xFF, 0x02, 0xFF, 0xFF }, data[..n]);
    }

    [Fact]
    public void Set_baudrate_is_byte_exact_and_commands_are_split_from_data()
    {
        var command = Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetBaudRate, [0x00, 0x01, 0xC2, 0x00]);
        Assert.Equal(Convert.FromHexString("FFFA2C010001C200FFF0"), command);
        var decoder = new Rfc2217Decoder();
        var subs = new List<(byte, byte[])>();
        var negotiations = new List<(byte, byte)>();
        decoder.Subnegotiation += (o, p) => subs.Add((o, p));
        decoder.Negotiation += (v, o) => negotiations.Add((v, o));
        byte[] stream = [0x41, .. Rfc2217Decoder.Negotiate(Rfc2217Protocol.Will, 44), 0x42, .. command, 0x43];
        var data = new byte[stream.Length];
        var n = decoder.Decode(stream, data);
        Assert.Equal("ABC"u8.ToArray(), data[..n]);
        Assert.Equal((Rfc2217Protocol.Will, (byte)44), Assert.Single(negotiations));
        var (option, payload) = Assert.Single(subs);
        Assert.Equal(44, option);
        Assert.Equal(new byte[] { 1, 0x00, 0x01, 0xC2, 0x00 }, payload);
    }

    [Fact]
    public void Over_long_subnegotiations_are_dropped()
    {
        var decoder = new Rfc2217Decoder();
        var subs = 0;
        decoder.Subnegotiation += (_, _) => subs++;
        byte[] stream = [0xFF, 0xFA, 44, .. new byte[1000], 0xFF, 0xF0, 0x55];
        var data = new byte[stream.Length];
        var n = decoder.Decode(stream, data);
        Assert.Equal(0, subs);
        Assert.Equal(1, decoder.DroppedSubnegotiations);
        Assert.Equal(new byte[] { 0x55 }, data[..n]);
    }

    private static Task<EmulatorHost> StartAsync(BootMode mode) => EmulatorHost.StartAsync(new EmulatorHostOptions
    {
        Module = new ModuleOptions
        {
            Mode = mode,
            TimeScale = 0,
            Bootloader = new BootloaderOptions { FlashSize = 1 << 20 },
            BootloaderFactory = RomBootloader.Factory,
        },
        Listen = new IPEndPoint(IPAddress.Loopback, 0),
        ConnectionHandler = Rfc2217Server.ServeAsync,
    });

    private static string Rfc2217Port(EmulatorHost host) => $"rfc2217://127.0.0.1:{host.Modules[0].Endpoint!.Port}";

    [Fact]
    public async Task Dtr_rts_reset_enters_download_mode_flashes_and_hard_reset_runs_the_app()
    {
        // The module runs its AT firmware (GPIO0 high); only the auto-reset circuit can put it in download mode.
        await using var host = await StartAsync(BootMode.At);
        var module = host.Modules[0].Module;
        var options = new FlashSessionOptions { Before = BeforeAction.DefaultReset, After = AfterAction.HardReset, NoStub = true, TimeoutScale = 5 * TestTimeouts.Scale };
        var image = TestStub.Image(64 * 1024, 11);
        // 0xFF-rich data exercises IAC escaping both ways.
        image.AsSpan(0, 4096).Fill(0xFF);
        await using (var session = await FlashSession.OpenAsync(Rfc2217Port(host), options))
        {
            Assert.Equal(BootMode.Bootloader, module.Running);
            Assert.True(session.Link.SupportsSignals);
            await session.Flasher.WriteAsync(0x8000, image);
            var booted = new TaskCompletionSource<BootMode>(TaskCreationOptions.RunContinuationsAsynchronously);
            module.Booted += m => booted.TrySetResult(m);
            await session.FinishAsync();
            Assert.Equal(BootMode.At, await booted.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        Assert.Equal(image, VirtualFlash.For(module.Options.Bootloader).Read(0x8000, image.Length));
    }

    [Fact]
    public async Task Set_baudrate_reaches_the_module()
    {
        await using var host = await StartAsync(BootMode.Bootloader);
        var module = host.Modules[0].Module;
        await using var link = await DeviceLink.OpenAsync(Rfc2217Port(host), new LinkOptions { BaudRate = 115200 });
        await link.SetBaudRateAsync(460800);
        // The server acts on the command when it reads it; a SYNC round trip after it proves it was read.
        var connection = new Connection.BootloaderConnection(link) { TimeoutScale = 10 * TestTimeouts.Scale };
        Assert.True(await Connection.BootloaderConnector.TrySyncAsync(connection, 5));
        Assert.Equal(460800, module.BaudRate);
    }

    [Fact]
    public async Task Pyserial_rfc2217_client_resets_the_module_and_gets_sync_replies()
    {
        await using var host = await StartAsync(BootMode.At);
        var script = """
            import sys, time, serial
            s = serial.serial_for_url(sys.argv[1], baudrate=115200, timeout=0.5)
            s.dtr = False; s.rts = True; time.sleep(0.1)
            s.dtr = True; s.rts = False; time.sleep(0.05); s.dtr = False
            s.reset_input_buffer()
            frame = bytes([0xC0, 0, 8, 0x24, 0, 0, 0, 0, 0, 7, 7, 0x12, 0x20]) + b'\x55' * 32 + bytes([0xC0])
            got = b''
            for _ in range(10):
                s.write(frame)
                deadline = time.time() + 2
                while time.time() < deadline and got.count(bytes.fromhex('c00108020007071220')) < 8:
                    got += s.read(256)
                if got.count(bytes.fromhex('c00108020007071220')) >= 8: break
            print(got.hex())
            """;
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(Rfc2217Port(host));
        using var python = Process.Start(psi)!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        var stderr = python.StandardError.ReadToEndAsync();
        await python.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(python.ExitCode == 0, await stderr);
        var hex = (await stdout).Trim();
        var replies = (hex.Length - hex.Replace("c00108020007071220", "", StringComparison.Ordinal).Length) / "c00108020007071220".Length;
        Assert.True(replies >= 8, hex.Substring(0, Math.Min(200, hex.Length)) + "\n" + await stderr + "\nboots=" + host.Modules[0].Module.BootCount + " running=" + host.Modules[0].Module.Running);
        Assert.Equal(BootMode.Bootloader, host.Modules[0].Module.Running);
    }
}

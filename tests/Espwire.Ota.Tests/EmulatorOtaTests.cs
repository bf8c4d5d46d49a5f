using System.Net;
using System.Net.Sockets;
using System.Text;
using Espwire.Testing;

namespace Espwire.Ota.Tests;

public class EmulatorOtaTests
{
    private const int Size = 300 * 1024;

    [Fact]
    public async Task Update_without_password_lands_at_0x0_and_the_module_reboots()
    {
        await using var device = await EmulatedOtaDevice.StartAsync();
        var image = EmulatedOtaDevice.Image(Size, seed: 2);
        var reboot = device.ExpectReboot();
        var stages = new List<OtaStage>();
        var result = await device.Uploader().UploadAsync(IPAddress.Loopback, image, new SyncProgress(p => stages.Add(p.Stage)));
        Assert.Equal(Size, result.Bytes);
        Assert.False(result.Authenticated);
        await reboot;
        Assert.Equal(2, device.Module.BootCount);
        Assert.Equal(image, device.Flash.Read(0, Size));
        Assert.Equal(Size, device.Module.SketchSize);
        Assert.Equal([OtaStage.Inviting, OtaStage.WaitingForDevice, OtaStage.Uploading, OtaStage.WaitingForResult, OtaStage.Done], stages.Distinct());
    }

    [Fact]
    public async Task Update_with_password_lands_at_0x0()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(password: "s3cret");
        var image = EmulatedOtaDevice.Image(Size, seed: 3);
        var reboot = device.ExpectReboot();
        var result = await device.Uploader("s3cret").UploadAsync(IPAddress.Loopback, image);
        Assert.True(result.Authenticated);
        await reboot;
        Assert.Equal(image, device.Flash.Read(0, Size));
    }

    [Fact]
    public async Task Espota_pacing_also_lands_the_image()
    {
        await using var device = await EmulatedOtaDevice.StartAsync();
        var image = EmulatedOtaDevice.Image(64 * 1024, seed: 4);
        var reboot = device.ExpectReboot();
        await device.Uploader(pacing: OtaPacing.OneChunkPerReply).UploadAsync(IPAddress.Loopback, image);
        await reboot;
        Assert.Equal(image, device.Flash.Read(0, image.Length));
    }

    [Fact]
    public async Task Wrong_password_is_refused_and_the_old_firmware_stays()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(password: "s3cret");
        var outcome = device.ExpectOutcome();
        var e = await Assert.ThrowsAsync<OtaException>(() => device.Uploader("guess").UploadAsync(IPAddress.Loopback, EmulatedOtaDevice.Image(Size, 5)));
        Assert.Equal(OtaFailure.WrongPassword, e.Failure);
        Assert.Equal("Authentication Failed", e.DeviceText);
        Assert.False((await outcome).Succeeded);
        Assert.Equal(device.OldFirmware, device.Flash.Read(0, device.OldFirmware.Length));
        Assert.Equal(1, device.Module.BootCount);
    }

    [Fact]
    public async Task Missing_password_says_so()
    {
        await using var device = await EmulatedOtaDevice.StartAsync(password: "s3cret");
        var e = await Assert.ThrowsAsync<OtaException>(() => device.Uploader().UploadAsync(IPAddress.Loopback, EmulatedOtaDevice.Image(1024, 6)));
        Assert.Equal(OtaFailure.PasswordRequired, e.Failure);
    }

    [Fact]
    public async Task Interrupted_transfer_leaves_the_old_firmware_and_the_device_takes_the_next_update()
    {
        await using var device = await EmulatedOtaDevice.StartAsync();
        var image = EmulatedOtaDevice.Image(Size, seed: 7);
        var outcome = device.ExpectOutcome();
        // A host that sends the invitation, then half the image, then goes away.
        using (var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            udp.Connect(device.Endpoint);
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
            await udp.SendAsync(Encoding.ASCII.GetBytes(EspotaLines.Invitation(OtaImageKind.Flash, port, Size, EspotaLines.Md5Hex(image))), SocketFlags.None);
            var answer = new byte[64];
            var n = await udp.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(EmulatedOtaDevice.Ceiling);
            Assert.Equal("OK", Encoding.ASCII.GetString(answer, 0, n));
            using var connection = await listener.AcceptAsync().WaitAsync(EmulatedOtaDevice.Ceiling);
            await connection.SendAsync(image.AsMemory(0, Size / 2), SocketFlags.None);
            connection.Close();
        }
        var failed = await outcome;
        Assert.False(failed.Succeeded);
        Assert.True(failed.BytesReceived < Size);
        Assert.Equal(device.OldFirmware, device.Flash.Read(0, device.OldFirmware.Length));
        Assert.Equal(1, device.Module.BootCount);

        var reboot = device.ExpectReboot();
        await device.Uploader().UploadAsync(IPAddress.Loopback, image);
        await reboot;
        Assert.Equal(image, device.Flash.Read(0, Size));
    }

    [Fact]
    public async Task Image_too_big_for_the_free_space_is_refused_before_any_transfer()
    {
        // 512 KB flash: the sketch area ends at 0x73000 (460 KB); beside the 260 KB sketch there is no room for 300 KB.
        await using var device = await EmulatedOtaDevice.StartAsync(flashSize: 512 << 10);
        var e = await Assert.ThrowsAsync<OtaException>(() => device.Uploader().UploadAsync(IPAddress.Loopback, EmulatedOtaDevice.Image(Size, 8)));
        Assert.Equal(OtaFailure.NotEnoughSpace, e.Failure);
        Assert.Equal(device.OldFirmware, device.Flash.Read(0, device.OldFirmware.Length));
    }

    [Fact]
    public async Task No_device_at_the_port_is_no_answer()
    {
        // Closed (datagrams to it are refused) but held by the test: nobody else's socket gets the invitation.
        using var closed = HeldPort.ClosedUdp();
        var port = closed.Port;
        var uploader = new OtaUploader(new OtaUploadOptions { DevicePort = port, AnswerTimeout = TimeSpan.FromSeconds(3) });
        var e = await Assert.ThrowsAsync<OtaException>(() => uploader.UploadAsync(IPAddress.Loopback, new byte[] { 0xE9, 1, 2 }));
        Assert.Equal(OtaFailure.NoAnswer, e.Failure);
    }

    [Fact]
    public async Task A_taken_OTA_port_is_noted_and_the_sketch_runs_on()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;
        var noted = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var module = new Espwire.Emulator.VirtualModule(new Espwire.Emulator.ModuleOptions
        {
            Mode = Espwire.Emulator.BootMode.Sketch,
            TimeScale = 0,
            Sketch = new Espwire.Emulator.Sketch.SketchOptions { MaxReadings = 0, Ota = new Espwire.Emulator.Ota.OtaDeviceOptions { Port = port } },
        });
        module.Trace += t =>
        {
            if (t.StartsWith("ArduinoOTA could not", StringComparison.Ordinal)) noted.TrySetResult(t);
        };
        module.Start();
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), await noted.Task.WaitAsync(EmulatedOtaDevice.Ceiling), StringComparison.Ordinal);
        Assert.Null(module.OtaEndpoint);
        Assert.Null(module.LastFault);
    }

    [Fact]
    public async Task An_invitation_bigger_than_the_chip_is_refused_and_the_device_stays_idle()
    {
        await using var device = await EmulatedOtaDevice.StartAsync();
        using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            udp.Connect(device.Endpoint);
            await udp.SendAsync(Encoding.ASCII.GetBytes("0 40000 99999999999 5d41402abc4b2a76b9719d911017c592\n"), SocketFlags.None);
            var answer = new byte[64];
            var n = await udp.ReceiveAsync(answer.AsMemory(), SocketFlags.None).AsTask().WaitAsync(EmulatedOtaDevice.Ceiling);
            Assert.Equal("ERR: ERROR[4]: Not Enough Space\n", Encoding.ASCII.GetString(answer, 0, n));
        }
        var reboot = device.ExpectReboot();
        await device.Uploader().UploadAsync(IPAddress.Loopback, EmulatedOtaDevice.Image(4096, 9));
        await reboot;
    }

    [Fact]
    public async Task Filesystem_image_goes_to_the_filesystem_area_and_the_sketch_stays()
    {
        await using var device = await EmulatedOtaDevice.StartAsync();
        var fs = new byte[64 * 1024];
        new Random(10).NextBytes(fs);
        var reboot = device.ExpectReboot();
        var uploader = new OtaUploader(new OtaUploadOptions { DevicePort = device.Endpoint.Port, Kind = OtaImageKind.Filesystem });
        await uploader.UploadAsync(IPAddress.Loopback, fs);
        await reboot;
        // 4 MB chip, the core's "FS:2MB" layout: the filesystem starts at 0x200000.
        Assert.Equal(fs, device.Flash.Read(0x200000, fs.Length));
        Assert.Equal(device.OldFirmware, device.Flash.Read(0, device.OldFirmware.Length));
    }

    private sealed class SyncProgress(Action<OtaProgress> report) : IProgress<OtaProgress>
    {
        public void Report(OtaProgress value) => report(value);
    }
}

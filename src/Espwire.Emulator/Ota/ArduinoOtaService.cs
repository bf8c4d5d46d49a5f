using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Network;
using Espwire.Ota;

namespace Espwire.Emulator.Ota;

/// <summary>
/// ArduinoOTA inside the emulated sketch, as the ESP8266 core's ArduinoOTA.cpp behaves: an invitation on UDP is
/// answered <c>OK</c> (or <c>AUTH nonce</c> when there is a password, then <c>OK</c> or <c>Authentication Failed</c>);
/// the device connects back to the host, writes the image beside the running sketch answering each read with its
/// byte count, checks the MD5, answers <c>OK</c> and reboots; eboot then copies the image to 0x0. Any failure
/// leaves the old sketch in place.
/// </summary>
public sealed class ArduinoOtaService : IAsyncDisposable
{
    private const int UpdaterBuffer = 0x1000;
    private readonly VirtualModule _module;
    private readonly OtaDeviceOptions _options;
    private readonly Socket _udp;
    private readonly ModuleMdnsResponder? _mdns;
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private readonly string? _passwordMd5;

    private ArduinoOtaService(VirtualModule module, OtaDeviceOptions options, CancellationToken ct)
    {
        _module = module;
        _options = options;
        _passwordMd5 = options.Password is { Length: > 0 } pw ? EspotaLines.Md5Hex(pw) : null;
        _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _udp.Bind(new IPEndPoint(IPAddress.Loopback, module.OtaPortFor(options.Port)));
        }
        catch (SocketException)
        {
            _udp.Dispose();
            throw;
        }
        var endpoint = (IPEndPoint)_udp.LocalEndPoint!;
        module.RememberOtaPort(endpoint.Port);
        Hostname = options.Hostname ?? "esp8266-" + module.MacAddress.Replace(":", "", StringComparison.Ordinal)[6..];
        if (options.MdnsPort is { } mdnsPort)
            _mdns = ModuleMdnsResponder.TryStart(module, new Espwire.Ota.Discovery.ArduinoService(Hostname, Hostname + ".local", IPAddress.Loopback,
                endpoint.Port, Espwire.Ota.Discovery.ArduinoService.ArduinoOtaTxt(options.Board, _passwordMd5 is not null)), mdnsPort);
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _loop = RunAsync(_stop.Token);
        module.OtaEndpoint = endpoint;
        module.Note($"ArduinoOTA listening on {endpoint}");
        module.RaiseOtaListening(endpoint);
    }

    public string Hostname { get; }

    /// <summary>ArduinoOTA.begin(): null when the sketch was built without OTA (no options).</summary>
    public static ArduinoOtaService? Begin(VirtualModule module, OtaDeviceOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(module);
        if (options is null) return null;
        try
        {
            return new ArduinoOtaService(module, options, cancellationToken);
        }
        catch (SocketException e)
        {
            // ArduinoOTA.begin() returns quietly when its UDP port cannot be opened; the sketch runs on without OTA.
            module.Note($"ArduinoOTA could not listen on 127.0.0.1:{options.Port} ({e.Message}); the sketch runs without OTA.");
            return null;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var buffer = new byte[1460];
        OtaInvitation? pending = null;
        IPEndPoint? inviter = null;
        string nonce = "";
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult packet;
            try
            {
                packet = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            var text = Encoding.ASCII.GetString(buffer, 0, packet.ReceivedBytes);
            var from = (IPEndPoint)packet.RemoteEndPoint;
            if (pending is null)
            {
                // OTA_IDLE: anything that is not an invitation is ignored.
                if (!EspotaLines.TryParseInvitation(text, out var invitation)) continue;
                if (_passwordMd5 is not null)
                {
                    nonce = EspotaLines.Md5Hex(Environment.TickCount64.ToString(CultureInfo.InvariantCulture) + RandomNumberGenerator.GetHexString(8));
                    pending = invitation;
                    inviter = from;
                    await SendAsync("AUTH " + nonce, from, ct).ConfigureAwait(false);
                    continue;
                }
                await RunUpdateAsync(invitation, from, ct).ConfigureAwait(false);
                if (ct.IsCancellationRequested) return;
                continue;
            }
            // OTA_WAITAUTH: one answer; anything else returns to idle.
            var invited = pending.Value;
            pending = null;
            if (!EspotaLines.TryParseAuthAnswer(text, out var cnonce, out var response)) continue;
            var expected = EspotaLines.ChallengeResponse(_passwordMd5!, nonce, cnonce);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response)))
            {
                await SendAsync(EspotaLines.AuthenticationFailed, inviter!, ct).ConfigureAwait(false);
                Finish(false, "authentication failed", 0, invited.Size);
                continue;
            }
            await RunUpdateAsync(invited, inviter!, ct).ConfigureAwait(false);
        }
    }

    private async Task RunUpdateAsync(OtaInvitation invitation, IPEndPoint inviter, CancellationToken ct)
    {
        var flash = VirtualFlash.For(_module.Options.Bootloader);
        var sketchEnd = FlashLayout.SketchAreaEnd(flash.Size);
        int start, limit;
        if (invitation.Size > flash.Size)
        {
            await SendAsync("ERR: ERROR[4]: Not Enough Space\n", inviter, ct).ConfigureAwait(false);
            Finish(false, "not enough space", 0, invitation.Size);
            return;
        }
        if (invitation.Kind == OtaImageKind.Flash)
        {
            // Updater::begin: the new image goes at the top of the sketch area and must not overlap the running sketch.
            var running = FlashLayout.RoundUp(_module.SketchSize ?? _options.InitialSketchSize);
            start = sketchEnd - FlashLayout.RoundUp(invitation.Size);
            limit = sketchEnd;
            if (invitation.Size <= 0 || start < running)
            {
                await SendAsync("ERR: ERROR[4]: Not Enough Space\n", inviter, ct).ConfigureAwait(false);
                Finish(false, "not enough space", 0, invitation.Size);
                return;
            }
        }
        else
        {
            start = sketchEnd;
            limit = FlashLayout.FilesystemEnd(flash.Size);
            if (invitation.Size <= 0 || invitation.Size > limit - start)
            {
                await SendAsync("ERR: ERROR[4]: Not Enough Space\n", inviter, ct).ConfigureAwait(false);
                Finish(false, "not enough space", 0, invitation.Size);
                return;
            }
        }
        await SendAsync(EspotaLines.Ok, inviter, ct).ConfigureAwait(false);
        await _module.Clock.DelayAsync(100, ct).ConfigureAwait(false);

        using var client = await NetworkGateway.ConnectTcpAsync(new IPEndPoint(inviter.Address, invitation.HostPort), TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        if (client is null)
        {
            Finish(false, "could not connect back to the host", 0, invitation.Size);
            return;
        }
        flash.EraseSectors(start / FlashLayout.Sector, FlashLayout.RoundUp(invitation.Size) / FlashLayout.Sector);
        var buffer = new byte[UpdaterBuffer];
        long total = 0;
        var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        try
        {
            while (total < invitation.Size)
            {
                int n;
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    wait.CancelAfter(_options.ReceiveTimeout);
                    try
                    {
                        n = await client.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, invitation.Size - total)), SocketFlags.None, wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        n = -1;
                    }
                }
                if (n <= 0)
                {
                    // Receive failed or the host went away: Update.end() fails and the old sketch stays.
                    await TrySendAsync(client, "ERROR[6]: Stream Read Timeout\n", ct).ConfigureAwait(false);
                    Finish(false, n < 0 ? "no data for " + _options.ReceiveTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s" : "connection closed", total, invitation.Size);
                    return;
                }
                flash.Program(start + (int)total, buffer.AsSpan(0, n));
                md5.AppendData(buffer, 0, n);
                total += n;
                await client.SendAsync(Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture)), SocketFlags.None, ct).ConfigureAwait(false);
            }
            var calculated = Convert.ToHexStringLower(md5.GetHashAndReset());
            if (!string.Equals(calculated, invitation.Md5Hex, StringComparison.OrdinalIgnoreCase))
            {
                await TrySendAsync(client, $"ERROR[7]: MD5 verification failed: expected: {invitation.Md5Hex}, calculated: {calculated}\n", ct).ConfigureAwait(false);
                Finish(false, "MD5 mismatch", total, invitation.Size);
                return;
            }
            if (invitation.Kind == OtaImageKind.Flash && flash.Read(start, 1)[0] != 0xE9)
            {
                await TrySendAsync(client, "ERROR[10]: Magic byte is not 0xE9\n", ct).ConfigureAwait(false);
                Finish(false, "not an ESP8266 image", total, invitation.Size);
                return;
            }
            // Update.end(): the last count goes out on its own, a second later the OK.
            await _module.Clock.DelayAsync(1000, ct).ConfigureAwait(false);
            await client.SendAsync("OK"u8.ToArray(), SocketFlags.None, ct).ConfigureAwait(false);
            await _module.Clock.DelayAsync(1000, ct).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException e)
        {
            Finish(false, "connection broke: " + e.Message, total, invitation.Size);
            return;
        }
        finally
        {
            md5.Dispose();
        }
        if (invitation.Kind == OtaImageKind.Flash)
        {
            // eboot at the next boot: copy the new image over the old one at 0x0.
            var image = flash.Read(start, (int)invitation.Size);
            flash.EraseSectors(0, FlashLayout.RoundUp(invitation.Size) / FlashLayout.Sector);
            flash.Program(0, image);
            _module.SketchSize = (int)invitation.Size;
        }
        Finish(true, invitation.Kind == OtaImageKind.Flash ? "sketch updated, rebooting" : "filesystem updated, rebooting", total, invitation.Size);
        _module.SoftReset();
    }

    private void Finish(bool ok, string what, long received, long size)
    {
        _module.Note("OTA: " + what);
        _module.RaiseOtaFinished(new OtaUpdateOutcome(ok, what, received, size));
    }

    private async Task SendAsync(string text, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await _udp.SendToAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, to, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // UDP: the host may be gone; it times out on its side.
        }
    }

    private static async Task TrySendAsync(Socket client, string text, CancellationToken ct)
    {
        try
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, ct).ConfigureAwait(false);
        }
        catch (SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
        if (_mdns is not null) await _mdns.DisposeAsync().ConfigureAwait(false);
        _module.OtaEndpoint = null;
        _stop.Dispose();
    }
}

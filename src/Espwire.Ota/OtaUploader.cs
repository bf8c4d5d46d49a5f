using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Ota;

/// <summary>
/// Sends an image to a device running ArduinoOTA, as espota.py does: a UDP invitation to the device's OTA port,
/// the password challenge if it asks, then the device connects back to the host's TCP port, takes the image and
/// answers each read with the byte count it wrote, and finally <c>OK</c> (or <c>ERROR[n]: ...</c>).
/// </summary>
public sealed class OtaUploader
{
    private const int MaxReplyText = 4096;
    private readonly OtaUploadOptions _options;

    public OtaUploader(OtaUploadOptions? options = null)
    {
        _options = options ?? new OtaUploadOptions();
        if (_options.DevicePort is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(options), "DevicePort must be 1..65535.");
        if (_options.ChunkSize is < 1 or > 1 << 20) throw new ArgumentOutOfRangeException(nameof(options), "ChunkSize must be 1 byte..1 MB.");
    }

    /// <summary>The local address a socket would use to reach <paramref name="device"/> (a connected UDP socket sends nothing).</summary>
    public static IPAddress LocalAddressFor(IPAddress device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (IPAddress.IsLoopback(device)) return device;
        using var probe = new Socket(device.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(device, 9));
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    public async Task<OtaResult> UploadAsync(IPAddress device, ReadOnlyMemory<byte> image, IProgress<OtaProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (image.Length == 0) throw new ArgumentException("The image is empty.", nameof(image));
        var total = Stopwatch.StartNew();
        var size = image.Length;
        var md5 = EspotaLines.Md5Hex(image.Span);
        var local = _options.LocalAddress ?? LocalAddressFor(device);

        using var listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(local, _options.HostPort));
        listener.Listen(1);
        var hostPort = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var deviceEndpoint = new IPEndPoint(device, _options.DevicePort);

        bool authenticated;
        using (var udp = new Socket(device.AddressFamily, SocketType.Dgram, ProtocolType.Udp))
        {
            // Connected: only the device's answers are read, and a closed port shows up at once (ICMP).
            udp.Connect(deviceEndpoint);
            progress?.Report(new OtaProgress(OtaStage.Inviting, 0, size));
            await udp.SendAsync(Encoding.ASCII.GetBytes(EspotaLines.Invitation(_options.Kind, hostPort, size, md5)), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var answer = await ReceiveAnswerAsync(udp, cancellationToken).ConfigureAwait(false)
                ?? throw new OtaException(OtaFailure.NoAnswer, $"no answer from {deviceEndpoint} to the OTA invitation.");
            authenticated = answer.StartsWith("AUTH", StringComparison.Ordinal);
            if (authenticated)
                await AuthenticateAsync(udp, answer, device, size, md5, progress, cancellationToken).ConfigureAwait(false);
            else if (answer != EspotaLines.Ok)
                throw Refusal(answer);
        }

        progress?.Report(new OtaProgress(OtaStage.WaitingForDevice, 0, size));
        Socket connection;
        try
        {
            connection = await listener.AcceptAsync(cancellationToken).AsTask().WaitAsync(_options.ConnectBackTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OtaException(OtaFailure.NoConnectBack,
                $"the device accepted the update but did not connect back to {listener.LocalEndPoint} within {_options.ConnectBackTimeout.TotalSeconds:0} s.");
        }
        using (connection)
        {
            connection.NoDelay = true;
            var transfer = Stopwatch.StartNew();
            var replies = new ReplyReader(connection);
            if (_options.Pacing == OtaPacing.OneChunkPerReply)
                await SendOneChunkPerReplyAsync(connection, replies, image, progress, cancellationToken).ConfigureAwait(false);
            else
                await SendStreamedAsync(connection, replies, image, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(new OtaProgress(OtaStage.WaitingForResult, size, size));
            await AwaitResultAsync(replies, cancellationToken).ConfigureAwait(false);
            transfer.Stop();
            progress?.Report(new OtaProgress(OtaStage.Done, size, size));
            return new OtaResult(size, authenticated, transfer.Elapsed, total.Elapsed);
        }
    }

    private async Task AuthenticateAsync(Socket udp, string challenge, IPAddress device, int size, string md5,
        IProgress<OtaProgress>? progress, CancellationToken ct)
    {
        if (_options.Password is null)
            throw new OtaException(OtaFailure.PasswordRequired, "the device asks for an OTA password and none was given.", challenge);
        var parts = challenge.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2) throw new OtaException(OtaFailure.BadAnswer, $"the device's challenge '{challenge}' has no nonce.", challenge);
        progress?.Report(new OtaProgress(OtaStage.Authenticating, 0, size));
        var cnonce = EspotaLines.ClientNonce(_options.ImageName, size, md5, device.ToString());
        var response = EspotaLines.ChallengeResponse(EspotaLines.Md5Hex(_options.Password), parts[1], cnonce);
        await udp.SendAsync(Encoding.ASCII.GetBytes(EspotaLines.AuthAnswer(cnonce, response)), SocketFlags.None, ct).ConfigureAwait(false);
        var answer = await ReceiveAnswerAsync(udp, ct).ConfigureAwait(false)
            ?? throw new OtaException(OtaFailure.NoAnswerToAuthentication, "no answer from the device to the OTA password.");
        if (answer == EspotaLines.Ok) return;
        if (answer.StartsWith(EspotaLines.AuthenticationFailed, StringComparison.Ordinal))
            throw new OtaException(OtaFailure.WrongPassword, "the device refused the OTA password (Authentication Failed).", answer);
        throw Refusal(answer);
    }

    private static OtaException Refusal(string answer)
    {
        if (answer.Contains("Not Enough Space", StringComparison.OrdinalIgnoreCase))
            return new OtaException(OtaFailure.NotEnoughSpace, $"the device has not enough space for this image ({answer.Trim()}).", answer);
        if (answer.StartsWith("ERR", StringComparison.Ordinal))
            return new OtaException(OtaFailure.Refused, $"the device refused the update: {answer.Trim()}", answer);
        return new OtaException(OtaFailure.BadAnswer, $"the device answered '{answer.Trim()}', which is not espota.", answer);
    }

    private async Task<string?> ReceiveAnswerAsync(Socket udp, CancellationToken ct)
    {
        var buffer = new byte[512];
        try
        {
            var n = await udp.ReceiveAsync(buffer, SocketFlags.None, ct).AsTask().WaitAsync(_options.AnswerTimeout, ct).ConfigureAwait(false);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (SocketException)
        {
            // Port unreachable: nothing listens there.
            return null;
        }
    }

    private async Task SendStreamedAsync(Socket connection, ReplyReader replies, ReadOnlyMemory<byte> image, IProgress<OtaProgress>? progress, CancellationToken ct)
    {
        // A small send buffer keeps the progress bar honest: bytes handed to TCP are close to bytes the device has.
        connection.SendBufferSize = 16 * 1024;
        var reading = replies.RunAsync(ct);
        var sent = 0;
        var slice = Math.Max(_options.ChunkSize, 16 * 1024);
        while (sent < image.Length)
        {
            if (reading.IsCompleted && replies.HasVerdict) break;
            var n = Math.Min(slice, image.Length - sent);
            try
            {
                await connection.SendAsync(image.Slice(sent, n), SocketFlags.None, ct).AsTask().WaitAsync(_options.ChunkTimeout, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or TimeoutException or ObjectDisposedException)
            {
                if (replies.HasVerdict) break;
                throw new OtaException(OtaFailure.TransferFailed, $"the transfer broke after {sent} of {image.Length} bytes: {e.Message}", replies.Text, e);
            }
            sent += n;
            progress?.Report(new OtaProgress(OtaStage.Uploading, sent, image.Length));
        }
    }

    private async Task SendOneChunkPerReplyAsync(Socket connection, ReplyReader replies, ReadOnlyMemory<byte> image, IProgress<OtaProgress>? progress, CancellationToken ct)
    {
        var sent = 0;
        while (sent < image.Length)
        {
            var n = Math.Min(_options.ChunkSize, image.Length - sent);
            try
            {
                await connection.SendAsync(image.Slice(sent, n), SocketFlags.None, ct).ConfigureAwait(false);
                if (!await replies.ReadOnceAsync(ct).WaitAsync(_options.ChunkTimeout, ct).ConfigureAwait(false)) break;
            }
            catch (Exception e) when (e is SocketException or TimeoutException)
            {
                throw new OtaException(OtaFailure.TransferFailed, $"the transfer broke after {sent} of {image.Length} bytes: {e.Message}", replies.Text, e);
            }
            sent += n;
            progress?.Report(new OtaProgress(OtaStage.Uploading, sent, image.Length));
            if (replies.HasVerdict) break;
        }
        _ = replies.RunAsync(ct);
    }

    private async Task AwaitResultAsync(ReplyReader replies, CancellationToken ct)
    {
        try
        {
            await replies.Verdict.WaitAsync(_options.ResultTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new OtaException(OtaFailure.NoResult, $"the device took the image but gave no result within {_options.ResultTimeout.TotalSeconds:0} s.", replies.Text);
        }
        var text = replies.Text;
        if (replies.Succeeded) return;
        var error = text.IndexOf('E', StringComparison.Ordinal) is var at and >= 0 ? text[at..].Trim() : "";
        if (error.Length == 0)
            throw new OtaException(OtaFailure.TransferFailed, "the device closed the connection before the image was complete and said nothing.", text);
        if (error.Contains("MD5", StringComparison.Ordinal))
            throw new OtaException(OtaFailure.Md5Mismatch, $"the device's MD5 of the image did not match ({error}).", error);
        if (error.Contains("Not Enough Space", StringComparison.OrdinalIgnoreCase))
            throw new OtaException(OtaFailure.NotEnoughSpace, $"the device has not enough space for this image ({error}).", error);
        throw new OtaException(OtaFailure.DeviceError, $"the device reported: {error}", error);
    }

    /// <summary>
    /// The device's side of the TCP connection: decimal byte counts with no separator, then <c>OK</c> or an
    /// <c>ERROR[n]: text</c> line. As espota does, an 'O' means success and an 'E' an error (counts are digits only).
    /// </summary>
    private sealed class ReplyReader(Socket connection)
    {
        private readonly StringBuilder _text = new();
        private readonly TaskCompletionSource _verdict = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly byte[] _buffer = new byte[256];
        private Task? _running;

        public Task Verdict => _verdict.Task;

        public bool Succeeded { get; private set; }

        public bool HasVerdict => _verdict.Task.IsCompleted;

        public string Text
        {
            get
            {
                lock (_text) return _text.ToString();
            }
        }

        public Task RunAsync(CancellationToken ct) => _running ??= LoopAsync(ct);

        private async Task LoopAsync(CancellationToken ct)
        {
            try
            {
                while (await ReadOnceAsync(ct).ConfigureAwait(false))
                {
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                _verdict.TrySetResult();
            }
        }

        /// <summary>Reads what the device sent; false once the connection is closed.</summary>
        public async Task<bool> ReadOnceAsync(CancellationToken ct)
        {
            var n = await connection.ReceiveAsync(_buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (n == 0)
            {
                Judge(closed: true);
                return false;
            }
            lock (_text)
            {
                if (_text.Length < MaxReplyText) _text.Append(Encoding.ASCII.GetString(_buffer, 0, n));
            }
            Judge(closed: false);
            return true;
        }

        private void Judge(bool closed)
        {
            var text = Text;
            var error = text.IndexOf('E', StringComparison.Ordinal);
            if (error >= 0)
            {
                // Wait for the whole error line (or the close) so the message is complete.
                if (closed || text.IndexOf('\n', error) >= 0) _verdict.TrySetResult();
            }
            else if (text.Contains('O', StringComparison.Ordinal))
            {
                Succeeded = true;
                _verdict.TrySetResult();
            }
            else if (closed)
            {
                _verdict.TrySetResult();
            }
        }
    }
}

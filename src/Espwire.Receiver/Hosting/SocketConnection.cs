using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Espwire.Receiver.Server;

namespace Espwire.Receiver.Hosting;

/// <summary>One accepted TCP socket: once admitted, a receive loop copies its bytes into the input pipe. A reset
/// is marked and the pipe completed cleanly, so the bytes the kernel delivered before the reset are still read
/// (a transport that completes the pipe with the error loses them).</summary>
internal sealed class SocketConnection : DeviceConnection
{
    private readonly Socket _socket;
    private readonly Pipe _pipe;
    private PipeWriter? _output;
    private Task _receiving = Task.CompletedTask;
    private const int SegmentSize = 16 * 1024;

    private SocketConnection(Socket socket, Pipe pipe, IPEndPoint remote, IPEndPoint? local)
        : base(pipe.Reader, remote, local)
    {
        _socket = socket;
        _pipe = pipe;
    }

    public static SocketConnection Create(Socket socket, int readAhead)
    {
        // Inline scheduling both ways: the session runs straight on the receive completion (a per-message device
        // is mostly latency), safe because nothing here blocks.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: readAhead, resumeWriterThreshold: readAhead / 2,
            minimumSegmentSize: SegmentSize,
            readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
        var remote = socket.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        return new SocketConnection(socket, pipe, remote, socket.LocalEndPoint as IPEndPoint);
    }

    public override PipeWriter? Output => _output ??= PipeWriter.Create(new NetworkStream(_socket, ownsSocket: false));

    protected internal override bool HasUnreadBytes
    {
        get
        {
            try
            {
                return _socket.Available > 0;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    protected internal override void Admitted() => _receiving = ReceiveAsync();

    private async Task ReceiveAsync()
    {
        var writer = _pipe.Writer;
        try
        {
            while (true)
            {
                int received;
                try
                {
                    // Wait for bytes before taking a buffer (as Kestrel does): 10,000 quiet connections then hold
                    // no buffers. With bytes already there (a per-message device) this completes at once.
                    if (_socket.Available == 0) await _socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false);
                    received = await _socket.ReceiveAsync(writer.GetMemory(SegmentSize), SocketFlags.None).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.TimedOut)
                {
                    MarkReset();
                    break;
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    break; // closed by us (the session ended, a stop)
                }
                if (received == 0) break;
                writer.Advance(received);
                var flushed = await writer.FlushAsync().ConfigureAwait(false);
                if (flushed.IsCompleted || flushed.IsCanceled) break;
            }
        }
        finally
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    /// <summary>After the session: close the socket (ending a receive still pending) and wait for the loop.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (_output is not null) await _output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The device is gone; nothing left to send.
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset or closed by the device.
        }
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
    }
}

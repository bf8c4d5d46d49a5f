namespace Espwire.Emulator.Hosting;

/// <summary>The host currently attached to a module's UART: where TX bytes go.</summary>
internal sealed class HostAttachment
{
    private readonly Stream _stream;
    private readonly CancellationTokenSource _cts;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public HostAttachment(Stream stream, CancellationTokenSource cts)
    {
        _stream = stream;
        _cts = cts;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (_cts.IsCancellationRequested) return;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _cts.Token);
            await _writeGate.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                await _stream.WriteAsync(data, linked.Token).ConfigureAwait(false);
                await _stream.FlushAsync(linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeGate.Release();
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The host went away; the module carries on.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Cancel();
        }
    }

    public void Cancel()
    {
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

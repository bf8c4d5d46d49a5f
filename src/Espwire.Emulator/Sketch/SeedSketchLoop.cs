using System.Net.Sockets;
using System.Text;

namespace Espwire.Emulator.Sketch;

/// <summary>The seed's loop(): a new <c>WiFiClient</c> each time, <c>client.println(num++)</c> whether or not the
/// connect worked, <c>delay(1000)</c>, and the connection closed when the client goes out of scope.</summary>
internal sealed class SeedSketchLoop
{
    private readonly SketchRuntime _rt;

    public SeedSketchLoop(SketchRuntime rt) => _rt = rt;

    public async Task RunAsync(CancellationToken ct)
    {
        var options = _rt.Options;
        var num = options.FirstValue;
        var loops = 0;
        _rt.Report(SketchStage.Sending, $"sending to {_rt.ServerText}: a new connection per reading, nothing resent (the seed's sketch)");
        while (options.MaxReadings is null || loops < options.MaxReadings)
        {
            loops++;
            var (socket, why) = await _rt.ConnectAsync(ct).ConfigureAwait(false);
            using var client = socket;
            if (client is null)
            {
                _rt.ReportFailure(SketchStage.ServerUnreachable, $"cannot reach the server {_rt.ServerText}: {why}");
                await _rt.PrintLineAsync("Failed to connect to server.", ct).ConfigureAwait(false);
                await _rt.DelayAsync(500, ct).ConfigureAwait(false);
            }
            else
            {
                _rt.ReportRecovered(SketchStage.ServerReached, $"reached the server {_rt.ServerText} again");
            }
            var value = _rt.FormatValue(num++);
            options.Counters?.AddProduced();
            if (client is not null)
            {
                var text = (_rt.DeviceName is null ? "" : "@id " + _rt.DeviceName + "\r\n") + value + "\r\n";
                try
                {
                    await client.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, ct).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // The server went away between connect and send: println on a dead client writes nothing.
                }
            }
            await _rt.DelayAsync((int)options.Interval.TotalMilliseconds, ct).ConfigureAwait(false);
            // The WiFiClient goes out of scope at the end of loop(): the connection closes.
            if (client is not null)
            {
                try
                {
                    client.Shutdown(SocketShutdown.Both);
                }
                catch (SocketException)
                {
                }
            }
        }
    }
}

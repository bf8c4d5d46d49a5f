using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Espwire.Firmware.Tests.Support;

/// <summary>
/// A receiver that follows docs/ack-protocol.md to the letter, for unit-level tests of the firmware and the
/// emulator while `espwire serve` learns the protocol on another branch. The "store" is a list per device that
/// survives <see cref="Kill"/> (as SQLite's WAL survives SIGKILL); every <c>ACK</c> goes out after the readings it
/// covers are in it; duplicates (seq at or below the highest stored) are not stored again and are acknowledged.
/// A batch of lines read at once is one "commit", so acks ride on commits as the doc says.
/// </summary>
public sealed class FakeReceiver : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<(long Seq, string Payload)>> _store = new(StringComparer.Ordinal);
    private readonly List<string> _plain = [];
    private readonly List<Socket> _connections = [];
    private readonly StringBuilder _wire = new();
    private Socket? _listener;
    private Socket? _udp;
    private CancellationTokenSource _life = new();

    public FakeReceiver(int port = 0, bool udp = false)
    {
        Udp = udp;
        Start(port);
    }

    public int Port { get; private set; }

    public bool Udp { get; }

    public int Hellos { get; private set; }

    public int Duplicates { get; private set; }

    /// <summary>Everything devices sent, as text, in arrival order (per connection chunks interleave).</summary>
    public string Wire
    {
        get
        {
            lock (_gate) return _wire.ToString();
        }
    }

    public IReadOnlyList<(long Seq, string Payload)> Stored(string device)
    {
        lock (_gate) return _store.TryGetValue(device, out var list) ? list.ToList() : [];
    }

    public void Seed(string device, long highestSeq)
    {
        lock (_gate) _store[device] = [(highestSeq, "earlier life")];
    }

    /// <summary>Gone at once, like a SIGKILLed process: the port closes and every connection is reset.</summary>
    public void Kill()
    {
        _life.Cancel();
        _listener?.Dispose();
        _udp?.Dispose();
        lock (_gate)
        {
            foreach (var c in _connections)
            {
                try
                {
                    c.LingerState = new LingerOption(true, 0);
                    c.Dispose();
                }
                catch (ObjectDisposedException)
                {
                }
            }
            _connections.Clear();
        }
    }

    /// <summary>Back on the same port with the same store.</summary>
    public void Restart() => Start(Port);

    private void Start(int port)
    {
        _life = new CancellationTokenSource();
        if (Udp)
        {
            _udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            Port = ((IPEndPoint)_udp.LocalEndPoint!).Port;
            _ = ServeUdpAsync(_udp, _life.Token);
            return;
        }
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = AcceptAsync(_listener, _life.Token);
    }

    private async Task AcceptAsync(Socket listener, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var client = await listener.AcceptAsync(ct).ConfigureAwait(false);
                lock (_gate) _connections.Add(client);
                _ = ServeAsync(client, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var pending = new StringBuilder();
        string? device = null;
        var acknowledging = false;
        try
        {
            while (true)
            {
                var n = await client.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (n == 0) return;
                var text = Encoding.UTF8.GetString(buffer, 0, n);
                var replies = new StringBuilder();
                lock (_gate)
                {
                    _wire.Append(text);
                    pending.Append(text);
                    var all = pending.ToString();
                    var end = all.LastIndexOf('\n');
                    if (end < 0) continue;
                    pending.Clear().Append(all[(end + 1)..]);
                    var readingsInBatch = false;
                    foreach (var raw in all[..end].Split('\n'))
                    {
                        var line = raw.TrimEnd('\r');
                        if (line.StartsWith("@id ", StringComparison.Ordinal))
                        {
                            var parts = line.Split(' ');
                            device = parts[1];
                            acknowledging = parts.Length == 3 && parts[2] == "ack";
                            if (acknowledging)
                            {
                                Hellos++;
                                // The hello's reply waits for everything ahead of it: flush the batch first.
                                if (readingsInBatch) replies.Append(AckLine(device));
                                replies.Append(AckLine(device));
                                readingsInBatch = false;
                            }
                        }
                        else if (device is not null && TryStore(device, line))
                        {
                            readingsInBatch = true;
                        }
                        else
                        {
                            _plain.Add(line);
                        }
                    }
                    if (readingsInBatch && acknowledging) replies.Append(AckLine(device!));
                }
                if (replies.Length > 0)
                    await client.SendAsync(Encoding.ASCII.GetBytes(replies.ToString()), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate) _connections.Remove(client);
            client.Dispose();
        }
    }

    private async Task ServeUdpAsync(Socket udp, CancellationToken ct)
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                var result = await udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
                var text = Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes);
                string? reply = null;
                lock (_gate)
                {
                    _wire.Append(text);
                    var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
                    if (lines.Count == 0 || !lines[0].StartsWith("@id ", StringComparison.Ordinal) || !lines[0].EndsWith(" ack", StringComparison.Ordinal)) continue;
                    var device = lines[0].Split(' ')[1];
                    Hellos++;
                    foreach (var line in lines.Skip(1)) TryStore(device, line);
                    reply = AckLine(device);
                }
                await udp.SendToAsync(Encoding.ASCII.GetBytes(reply), SocketFlags.None, result.RemoteEndPoint, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    // Called under _gate. A #SEQ line is stored unless it is a duplicate; either way it is acknowledged.
    private bool TryStore(string device, string line)
    {
        if (line.Length < 2 || line[0] != '#') return false;
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 2 || !long.TryParse(line.AsSpan(1, space - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq < 1) return false;
        if (!_store.TryGetValue(device, out var list)) _store[device] = list = [];
        if (list.Count > 0 && seq <= list[^1].Seq)
        {
            Duplicates++;
            return true;
        }
        list.Add((seq, line[(space + 1)..]));
        return true;
    }

    private string AckLine(string device)
        => "ACK " + (_store.TryGetValue(device, out var list) && list.Count > 0 ? list[^1].Seq : 0).ToString(CultureInfo.InvariantCulture) + "\n";

    public void Dispose()
    {
        Kill();
        _life.Dispose();
    }
}

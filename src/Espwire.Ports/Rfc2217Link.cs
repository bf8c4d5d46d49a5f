using System.Buffers.Binary;
using System.Net.Sockets;

namespace Espwire.Ports;

/// <summary>
/// <c>rfc2217://host:port</c>: telnet with RFC 2217 COM-PORT-OPTION, so baud rate and DTR/RTS reach the remote
/// serial port (ser2net, esp_rfc2217_server, <c>espwire emulate --rfc2217</c>). Data bytes 0xFF travel as FF FF.
/// </summary>
public sealed class Rfc2217Link : IDeviceLink
{
    private readonly TcpClient _client;
    private readonly NetworkStream _network;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private bool _dtr;
    private bool _rts;

    private Rfc2217Link(string name, TcpClient client, int baudRate)
    {
        Name = name;
        _client = client;
        _network = client.GetStream();
        BaudRate = baudRate;
        Stream = new Rfc2217Stream(this);
    }

    public string Name { get; }
    public Stream Stream { get; }
    public bool SupportsSignals => true;
    public bool SupportsBaudRate => true;
    public int BaudRate { get; private set; }

    /// <summary>Options the server agreed to (DO/WILL COM-PORT-OPTION seen).</summary>
    public bool ServerAcceptedComPort { get; private set; }

    public static async Task<IDeviceLink> ConnectAsync(PortAddress address, LinkOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(options);
        var client = await SocketLink.ConnectTcpAsync(address, options,
            $"Nothing serves RFC 2217 there: start the emulator with espwire emulate --rfc2217 --listen {SocketLink.HostPort(address)} (add --mode bootloader for the flash verbs), or ser2net / esp_rfc2217_server; check the host and port.",
            cancellationToken).ConfigureAwait(false);
        var link = new Rfc2217Link(address.Path, client, options.BaudRate);
        await link.StartAsync(options, cancellationToken).ConfigureAwait(false);
        return link;
    }

    private async Task StartAsync(LinkOptions options, CancellationToken ct)
    {
        // We will send binary data and COM-PORT commands; we ask the server for binary and no go-ahead.
        var hello = new List<byte>();
        hello.AddRange(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Will, Rfc2217Protocol.OptionComPort));
        hello.AddRange(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Will, Rfc2217Protocol.OptionBinary));
        hello.AddRange(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Do, Rfc2217Protocol.OptionBinary));
        hello.AddRange(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Will, Rfc2217Protocol.OptionSuppressGoAhead));
        hello.AddRange(Rfc2217Decoder.Negotiate(Rfc2217Protocol.Do, Rfc2217Protocol.OptionSuppressGoAhead));
        hello.AddRange(BaudCommand(BaudRate));
        hello.AddRange(Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetDataSize, [8]));
        hello.AddRange(Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetParity, [1]));
        hello.AddRange(Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetStopSize, [1]));
        if (options.Dtr is { } dtr) { _dtr = dtr; hello.AddRange(ControlCommand(dtr ? Rfc2217Control.DtrOn : Rfc2217Control.DtrOff)); }
        if (options.Rts is { } rts) { _rts = rts; hello.AddRange(ControlCommand(rts ? Rfc2217Control.RtsOn : Rfc2217Control.RtsOff)); }
        await SendRawAsync(hello.ToArray(), ct).ConfigureAwait(false);
    }

    private static byte[] BaudCommand(int baud)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, (uint)baud);
        return Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetBaudRate, value);
    }

    private static byte[] ControlCommand(byte value) => Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.SetControl, [value]);

    internal async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _network.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default)
    {
        if (baudRate <= 0) throw new ArgumentOutOfRangeException(nameof(baudRate));
        await SendRawAsync(BaudCommand(baudRate), cancellationToken).ConfigureAwait(false);
        BaudRate = baudRate;
    }

    public async Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default)
    {
        var commands = new List<byte>();
        if (dtr is { } d) { _dtr = d; commands.AddRange(ControlCommand(d ? Rfc2217Control.DtrOn : Rfc2217Control.DtrOff)); }
        if (rts is { } r) { _rts = r; commands.AddRange(ControlCommand(r ? Rfc2217Control.RtsOn : Rfc2217Control.RtsOff)); }
        if (commands.Count > 0) await SendRawAsync(commands.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DTR as last set (asserted = true).</summary>
    public bool Dtr => _dtr;

    /// <summary>RTS as last set (asserted = true).</summary>
    public bool Rts => _rts;

    public async Task DiscardInputAsync(CancellationToken cancellationToken = default)
    {
        // PURGE-DATA 1: the server drops what it received from the device and has not sent yet.
        await SendRawAsync(Rfc2217Decoder.ComPortCommand((byte)Rfc2217Command.PurgeData, [1]), cancellationToken).ConfigureAwait(false);
        var socket = _client.Client;
        var buffer = new byte[4096];
        while (socket.Available > 0 && !((Rfc2217Stream)Stream).ReadPending)
            ((Rfc2217Stream)Stream).DiscardAvailable(buffer);
    }

    internal void OnNegotiation(byte verb, byte option)
    {
        if (option == Rfc2217Protocol.OptionComPort && verb == Rfc2217Protocol.Do) ServerAcceptedComPort = true;
        // Refuse what we do not support, so a server waiting for an answer gets one; agree silently to the rest.
        var supported = option is Rfc2217Protocol.OptionBinary or Rfc2217Protocol.OptionSuppressGoAhead or Rfc2217Protocol.OptionComPort;
        if (supported) return;
        byte? reply = verb switch
        {
            Rfc2217Protocol.Do => Rfc2217Protocol.Wont,
            Rfc2217Protocol.Will => Rfc2217Protocol.Dont,
            _ => null,
        };
        if (reply is { } r) _ = SendRawAsync(Rfc2217Decoder.Negotiate(r, option), CancellationToken.None);
    }

    internal NetworkStream Network => _network;

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}

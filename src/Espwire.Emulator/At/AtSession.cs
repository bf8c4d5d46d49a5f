using Espwire.Protocol.At;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Espwire.Emulator.At.Dialects;
using Espwire.Emulator.At.Links;
using Espwire.Emulator.Flash;
using Espwire.Emulator.Wifi;

namespace Espwire.Emulator.At;

/// <summary>
/// The AT firmware's state between two resets: settings in RAM, the station, open links, and the input state
/// machine (command lines, CIPSEND data, transparent mode).
/// </summary>
public sealed partial class AtSession : IAsyncDisposable
{
    /// <summary>The firmware's command buffer: longer lines are answered with ERROR.</summary>
    public const int MaxLineLength = 256;

    /// <summary>Silence that must surround a transparent-mode <c>+++</c> (before <c>--time-scale</c>).</summary>
    private static readonly TimeSpan EscapeGuard = TimeSpan.FromMilliseconds(20);

    private readonly AtCommandTable _commands;
    private readonly List<byte> _line = new(MaxLineLength);
    private readonly List<byte> _echo = new(64);
    private readonly CancellationTokenSource _stop = new();
    private bool _lineOverflow;
    private bool _sawCr;
    // A long command (a join, a connect, a ping) runs in the background; lines meanwhile get busy p... It stops
    // counting as busy just before its final result is written, so a host that answers the final at once (as
    // every host does) is never told busy by a task that has merely not finished returning.
    private volatile bool _longRunning;
    private InputMode _mode = InputMode.Command;
    private SendState? _send;
    private long _lastInputTicks;
    private bool _escapePending;
    private Timer? _escapeTimer;

    internal AtSession(VirtualModule module, IModuleUart uart)
    {
        Module = module;
        Uart = uart;
        Dialect = AtDialect.For(module.Options.Dialect);
        Output = new AtOutput(uart);
        Station = new Station(module);
        Ram = module.Flash.Current;
        _commands = AtCommandTable.For(Dialect);
    }

    public VirtualModule Module { get; }

    public IModuleUart Uart { get; }

    public AtDialect Dialect { get; }

    public AtOutput Output { get; }

    public Station Station { get; }

    /// <summary>Settings in effect now (flash settings as loaded at boot, changed by commands).</summary>
    public FlashSettings Ram { get; private set; }

    public bool EchoOn { get; set; } = true;

    public bool Multiplexed { get; set; }

    public bool TransparentMode { get; set; }

    public bool PassiveReceive { get; set; }

    public bool ShowRemoteInfo { get; set; }

    public int ServerTimeoutSeconds { get; set; } = 180;

    public int ScanSort { get; set; }

    public int ScanMask { get; set; } = 0x7FF;

    /// <summary>Link ids 0..4 (single-connection mode uses 0).</summary>
    internal AtLink?[] Links { get; } = new AtLink?[5];

    internal LoopbackServer? Server { get; set; }

    /// <summary>True once a link has been opened since the last join (for CIPSTATUS's 3/4).</summary>
    internal bool HadLinks { get; set; }

    internal CancellationToken Stopping => _stop.Token;

    /// <summary>Applies a setting change where <paramref name="persistence"/> says: RAM, and flash for _DEF or a saving plain form.</summary>
    public void Apply(Persistence persistence, Func<FlashSettings, FlashSettings> change)
    {
        Ram = change(Ram);
        if (persistence == Persistence.Default || (persistence == Persistence.Plain && Dialect.PlainFormSaves(Ram.SysStore)))
            Module.Flash.Update(change);
    }

    internal async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var ct = linked.Token;
        Uart.BaudRate = Ram.UartBaud;
        await Module.Clock.DelayAsync(Module.World.Timing.BootMs, ct).ConfigureAwait(false);
        await Output.WriteAsync("\r\nready\r\n", ct).ConfigureAwait(false);
        if (Ram.AutoConnect && Ram.Ssid is not null && Ram.WifiMode is 1 or 3)
            _ = AutoConnectAsync(Ram.Ssid, Ram.Password ?? "", ct);
        await ReadInputAsync(Uart.Input, ct).ConfigureAwait(false);
    }

    private async Task AutoConnectAsync(string ssid, string password, CancellationToken ct)
    {
        try
        {
            var failure = await Station.JoinAsync(ssid, password, Ram.StationDhcp, Ram.StaticIp,
                () => Output.LineAsync("WIFI CONNECTED", ct).AsTask(), ct).ConfigureAwait(false);
            if (failure == JoinFailure.None) await Output.LineAsync("WIFI GOT IP", ct).ConfigureAwait(false);
            else if (failure == JoinFailure.Timeout) await Output.LineAsync("WIFI DISCONNECT", ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReadInputAsync(PipeReader reader, CancellationToken ct)
    {
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                return;
            }
            var buffer = result.Buffer;
            var chunk = System.Buffers.BuffersExtensions.ToArray(buffer);
            reader.AdvanceTo(buffer.End);
            if (result.IsCanceled && _escapePending)
            {
                _escapePending = false;
                await LeaveTransparentAsync(ct).ConfigureAwait(false);
            }
            if (chunk.Length > 0)
            {
                var now = Stopwatch.GetTimestamp();
                var silence = Stopwatch.GetElapsedTime(_lastInputTicks, now);
                _lastInputTicks = now;
                await ProcessAsync(chunk, silence, reader, ct).ConfigureAwait(false);
            }
            if (result.IsCompleted) return;
        }
    }

    private async Task ProcessAsync(byte[] chunk, TimeSpan silenceBefore, PipeReader reader, CancellationToken ct)
    {
        var i = 0;
        while (i < chunk.Length)
        {
            switch (_mode)
            {
                case InputMode.SendData:
                    i = await TakeSendDataAsync(chunk, i, ct).ConfigureAwait(false);
                    break;
                case InputMode.Transparent:
                    i = await TakeTransparentAsync(chunk, i, silenceBefore, reader, ct).ConfigureAwait(false);
                    break;
                default:
                    i = await TakeCommandBytesAsync(chunk, i, ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<int> TakeCommandBytesAsync(byte[] chunk, int i, CancellationToken ct)
    {
        var busy = _longRunning;
        for (; i < chunk.Length; i++)
        {
            var b = chunk[i];
            if (!busy && EchoOn) Dialect.Echo(b, _echo);
            if (b == (byte)'\n' && _sawCr)
            {
                _sawCr = false;
                var overflow = _lineOverflow;
                var text = Encoding.Latin1.GetString(_line.ToArray());
                _line.Clear();
                _lineOverflow = false;
                await FlushEchoAsync(ct).ConfigureAwait(false);
                if (busy)
                {
                    Module.Note("busy: line ignored while a command runs");
                    await Output.LineAsync("busy p...", ct).ConfigureAwait(false);
                    continue;
                }
                await ExecuteLineAsync(text, overflow, ct).ConfigureAwait(false);
                return i + 1;
            }
            if (_sawCr)
            {
                // A CR not followed by LF belongs to the line.
                AddToLine((byte)'\r');
            }
            _sawCr = b == (byte)'\r';
            if (!_sawCr) AddToLine(b);
        }
        await FlushEchoAsync(ct).ConfigureAwait(false);
        return i;
    }

    private void AddToLine(byte b)
    {
        if (_line.Count < MaxLineLength - 2) _line.Add(b);
        else _lineOverflow = true;
    }

    private async ValueTask FlushEchoAsync(CancellationToken ct)
    {
        if (_echo.Count == 0) return;
        var bytes = _echo.ToArray();
        _echo.Clear();
        await Output.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    private async Task ExecuteLineAsync(string line, bool overflow, CancellationToken ct)
    {
        if (line.Length == 0 && !overflow) return;
        if (overflow) Module.Note($"line longer than {MaxLineLength} bytes: ERROR");
        var request = overflow ? null : AtRequest.Parse(line);
        var command = request is null ? null : _commands.Find(request.Name);
        var handler = request is null ? null : command?.For(request.Kind);
        if (request is null || command is null || handler is null)
        {
            await Output.FinalAsync(AtResult.Error, ct).ConfigureAwait(false);
            return;
        }
        var isLong = command.IsLong(request.Kind);
        if (isLong) _longRunning = true;
        var run = RunCommandAsync(handler, request, isLong, ct);
        if (!isLong) await run.ConfigureAwait(false);
    }

    private async Task RunCommandAsync(AtHandler handler, AtRequest request, bool isLong, CancellationToken ct)
    {
        try
        {
            var result = await handler(this, request, ct).ConfigureAwait(false);
            if (isLong) _longRunning = false;
            await Output.FinalAsync(result, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (AtArgumentException)
        {
            if (isLong) _longRunning = false;
            await Output.FinalAsync(AtResult.Error, ct).ConfigureAwait(false);
        }
        finally
        {
            if (isLong) _longRunning = false;
        }
    }

    /// <summary>Asks for a reset once the current output is out (AT+RST, AT+RESTORE).</summary>
    internal void RequestReset()
    {
        _stop.Cancel();
        Module.SoftReset();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _escapeTimer?.Dispose();
        if (Server is not null) await Server.DisposeAsync().ConfigureAwait(false);
        foreach (var link in Links)
            if (link is not null) await link.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}

using Espwire.Flasher.Reset;
using Espwire.Ports;
using Espwire.Ports.Modem;
using Espwire.Ports.Pty;

namespace Espwire.Flasher.Tests;

/// <summary>DTR and RTS move together: one TIOCMGET and one TIOCMSET per step of the Unix-tight reset.</summary>
public class ModemLineTests
{
    /// <summary>The modem register of a device, recording every call.</summary>
    private sealed class RecordingModem(int bits) : IModemControl
    {
        public int Bits { get; private set; } = bits;
        public List<string> Calls { get; } = new();

        public int Get()
        {
            Calls.Add("get");
            return Bits;
        }

        public void Set(int bits)
        {
            Calls.Add($"set {bits:x3}");
            Bits = bits;
        }
    }

    /// <summary>A link whose signals go through <see cref="ModemLines.Apply"/>, as SerialLink's do on Linux and macOS.</summary>
    private sealed class ModemLink(IModemControl modem) : IDeviceLink
    {
        public string Name => "test://modem";
        public Stream Stream { get; } = new MemoryStream();
        public bool SupportsSignals => true;
        public bool SupportsBaudRate => false;
        public int BaudRate => 115200;
        public Task SetBaudRateAsync(int baudRate, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SetSignalsAsync(bool? dtr, bool? rts, CancellationToken cancellationToken = default)
        {
            ModemLines.Apply(modem, dtr, rts);
            return Task.CompletedTask;
        }

        public Task DiscardInputAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Unix_tight_reset_sets_both_lines_in_one_tiocmset_per_step_and_keeps_other_bits()
    {
        const int carrierDetect = 0x040; // TIOCM_CD: not ours to touch
        var modem = new RecordingModem(carrierDetect | ModemLines.Dtr);
        await new UnixTightReset(TimeSpan.FromMilliseconds(1)).ResetAsync(new ModemLink(modem), CancellationToken.None);
        Assert.Equal(new[]
        {
            "get", "set 040",   // both released
            "get", "set 046",   // both asserted
            "get", "set 044",   // IO0 high, EN low
            "get", "set 042",   // IO0 low, EN high
            "get", "set 040",   // both released
        }, modem.Calls);
    }

    [Fact]
    public void A_line_left_null_keeps_its_state()
    {
        Assert.Equal(ModemLines.Rts | ModemLines.Dtr, ModemLines.Combine(ModemLines.Rts, dtr: true, rts: null));
        Assert.Equal(0, ModemLines.Combine(ModemLines.Rts | ModemLines.Dtr, dtr: false, rts: false));
        var modem = new RecordingModem(0);
        ModemLines.Apply(modem, null, null);
        Assert.Empty(modem.Calls);
    }

    [Fact]
    public void The_real_ioctl_reaches_the_device_and_a_pseudo_terminal_refuses_it()
    {
        using var pty = PseudoTerminal.Open();
        using var control = UnixModemControl.Open(pty.SlavePath);
        // A pty has no modem lines: the kernel answers ENOTTY, which proves the TIOCMGET call was made on the device.
        var e = Assert.Throws<IOException>(() => ModemLines.Apply(control, dtr: true, rts: false));
        Assert.Contains("TIOCMGET failed", e.Message, StringComparison.Ordinal);
    }
}

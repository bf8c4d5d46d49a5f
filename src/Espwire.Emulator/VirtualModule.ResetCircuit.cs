namespace Espwire.Emulator;

/// <summary>EN and GPIO0 behind the NodeMCU-style two-transistor auto-reset circuit.</summary>
public sealed partial class VirtualModule
{
    /// <summary>GPIO0 level with the modem lines idle: low when the module is wired for programming (<see cref="BootMode.Bootloader"/>).</summary>
    private bool StrapGpio0Low => Options.Mode == BootMode.Bootloader;

    private bool Gpio0Low => StrapGpio0Low || (_dtr && !_rts);

    /// <summary>
    /// Sets the host's DTR and RTS (true = asserted) through the NodeMCU-style auto-reset circuit: EN is pulled
    /// low while RTS is asserted and DTR is not; GPIO0 is pulled low while DTR is asserted and RTS is not.
    /// EN rising resets the module into download mode if GPIO0 is low then, else into the app in flash.
    /// </summary>
    public void SetModemLines(bool dtr, bool rts)
    {
        bool rising;
        long generation;
        lock (_gate)
        {
            _dtr = dtr;
            _rts = rts;
            var enLow = rts && !dtr;
            rising = _enLow && !enLow;
            var falling = !_enLow && enLow;
            _enLow = enLow;
            generation = ++_resetGeneration;
            if (falling) HoldInReset();
        }
        if (rising) _ = ReleaseResetAsync(generation);
    }

    private async Task ReleaseResetAsync(long generation)
    {
        try
        {
            await Task.Delay(StrapDelay, _life.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // The module was disposed during the RC delay.
            return;
        }
        bool gpio0Low;
        lock (_gate)
        {
            // Another line change since the edge: if EN went low again the reset is still held.
            if (_enLow) return;
            _ = generation;
            gpio0Low = Gpio0Low;
        }
        Boot(gpio0Low, ResetCause.External);
    }

    /// <summary>Pulses EN: the module restarts into download mode when <paramref name="gpio0Low"/>, else into the app in flash.</summary>
    public void Reset(bool gpio0Low) => Boot(gpio0Low, ResetCause.External);

    /// <summary>A reset the firmware asks for (AT+RST, AT+RESTORE, the ROM's run command): GPIO0 as the board holds it now.</summary>
    public void SoftReset()
    {
        bool gpio0Low;
        lock (_gate) gpio0Low = Gpio0Low;
        Boot(gpio0Low, ResetCause.External);
    }

    private void HoldInReset()
    {
        // Caller holds _gate.
        _runCts.Cancel();
        _input?.Writer.Complete();
        _input = null;
        Running = null;
    }
}

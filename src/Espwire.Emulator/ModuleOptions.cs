using Espwire.Emulator.Bootloader;
using Espwire.Emulator.Sketch;
using Espwire.Emulator.World;

namespace Espwire.Emulator;

/// <summary>How one virtual ESP-12F is built. Every field has the seed's default.</summary>
public sealed record ModuleOptions
{
    /// <summary>What the module runs after power-on: the app in flash (AT firmware or sketch), or the ROM
    /// download mode, which models GPIO0 held low by the seed's programming-mode wiring.</summary>
    public BootMode Mode { get; init; } = BootMode.At;

    /// <summary>The app in flash, booted when GPIO0 is high at reset. Defaults to the sketch for
    /// <see cref="BootMode.Sketch"/> and to the AT firmware otherwise.</summary>
    public BootMode? FlashApp { get; init; }

    public FirmwareDialect Dialect { get; init; } = FirmwareDialect.NonOs;

    /// <summary>The virtual Wi-Fi world around the module; null is <see cref="WifiWorld.Default"/>.</summary>
    public WifiWorld? World { get; init; }

    /// <summary>Multiplies simulated durations (join, scan, ping, boot): 1 real time, 0 instant.</summary>
    public double TimeScale { get; init; } = 1.0;

    /// <summary>When true the UART sends no faster than its baud rate allows (10 bits per byte).</summary>
    public bool Pace { get; init; }

    /// <summary>JSON file holding the module's saved settings ("flash") across process restarts; null keeps them in memory.</summary>
    public string? StateFile { get; init; }

    /// <summary>Let CIPSTART and the sketch reach addresses that are neither loopback nor mapped by the world.</summary>
    public bool AllowNetwork { get; init; }

    /// <summary>Index of the module in a group (0 first): offsets its LAN address (192.168.0.138 + i). The MAC is
    /// <see cref="BootloaderOptions.Mac"/>; <see cref="Hosting.EmulatorHost"/> offsets it per module.</summary>
    public int Index { get; init; }

    /// <summary>Reset the module each time a host attaches, so every connection starts with the boot text and <c>ready</c>.</summary>
    public bool ResetOnAttach { get; init; }

    public BootloaderOptions Bootloader { get; init; } = new();

    /// <summary>Builds the ROM download mode for each boot into it. The default is <see cref="RomBootloader.Factory"/>:
    /// the module's one flash chip, and "run user code" boots the app.</summary>
    public Func<VirtualModule, IFirmware>? BootloaderFactory { get; init; }

    public SketchOptions Sketch { get; init; } = new();

    internal BootMode EffectiveFlashApp => FlashApp ?? (Mode == BootMode.Sketch ? BootMode.Sketch : BootMode.At);
}

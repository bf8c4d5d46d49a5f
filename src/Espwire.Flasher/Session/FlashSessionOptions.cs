using Espwire.Flasher.Reset;

namespace Espwire.Flasher.Session;

/// <summary>Everything a flash verb needs to reach the chip: esptool's global options.</summary>
public sealed record FlashSessionOptions
{
    /// <summary>The speed to flash at; the ROM is always reached at 115200 first and the stub switches up.</summary>
    public int BaudRate { get; init; } = 115200;

    public BeforeAction Before { get; init; } = BeforeAction.DefaultReset;
    public AfterAction After { get; init; } = AfterAction.HardReset;

    /// <summary>A stub to use (esptool's JSON, or an esptool v2/v3 esptool.py); null searches local installs unless <see cref="NoStub"/>.</summary>
    public string? StubFile { get; init; }

    /// <summary>Talk to the ROM only (slower; no MD5, no read).</summary>
    public bool NoStub { get; init; }

    /// <summary>Where to look for a stub when none is given (folders, node_modules folders or files); null uses <see cref="Stub.StubLocator.DefaultRoots"/>.</summary>
    public IReadOnlyList<string>? StubSearchRoots { get; init; }

    public int ConnectAttempts { get; init; } = 7;

    /// <summary>Scales every timeout (slow adapters, loaded machines).</summary>
    public double TimeoutScale { get; init; } = 1.0;

    public bool Compress { get; init; } = true;

    /// <summary>The baud rate the ROM is reached at (esptool's ESP_ROM_BAUD).</summary>
    public const int RomBaudRate = 115200;
}

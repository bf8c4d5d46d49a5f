namespace Espwire.Emulator;

/// <summary>What the virtual module runs after a reset.</summary>
public enum BootMode
{
    /// <summary>Espressif's AT firmware from flash (GPIO0 high).</summary>
    At,
    /// <summary>The seed's Arduino sketch from flash (GPIO0 high).</summary>
    Sketch,
    /// <summary>The ROM's UART download mode (GPIO0 low at reset).</summary>
    Bootloader,
}

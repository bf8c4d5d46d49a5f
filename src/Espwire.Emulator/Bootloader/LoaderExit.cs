namespace Espwire.Emulator.Bootloader;

/// <summary>Why <see cref="RomBootloader.RunAsync"/> returned.</summary>
public enum LoaderExit
{
    /// <summary>The host closed the link (or the module reset).</summary>
    HostClosed,
    /// <summary>FLASH_END/FLASH_DEFL_END with reboot, or RUN_USER_CODE: the module boots the application from flash.</summary>
    RunUserCode,
}

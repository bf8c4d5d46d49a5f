namespace Espwire.Emulator.Bootloader;

/// <summary>Who answers: the mask ROM, or a flasher stub the host uploaded and started.</summary>
public enum LoaderMode
{
    Rom,
    Stub,
}

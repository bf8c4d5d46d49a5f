namespace Espwire.Flasher.Flashing;

public enum FlashPhase
{
    Erasing,
    Writing,
    Verifying,
    Reading,
}

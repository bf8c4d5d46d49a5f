namespace Espwire.Flasher.Chip;

/// <summary>What a flasher learns about the chip before writing: esptool's first lines.</summary>
public sealed record ChipInfo(string ChipName, IReadOnlyList<string> Features, int CrystalMHz, string Mac, FlashId? Flash)
{
    public IReadOnlyList<uint> Efuses { get; init; } = [];
}

namespace Espwire.Emulator.Bootloader;

/// <summary>What the error injector does to one exchange.</summary>
public enum InjectedFault
{
    None,
    /// <summary>The command runs; its reply never arrives.</summary>
    DropReply,
    /// <summary>The command runs; its reply arrives cut short.</summary>
    TruncateReply,
    /// <summary>A data block arrives damaged: the checksum fails and nothing is written.</summary>
    CorruptBlock,
}

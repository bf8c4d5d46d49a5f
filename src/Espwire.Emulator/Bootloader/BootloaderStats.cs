namespace Espwire.Emulator.Bootloader;

/// <summary>Counters a test or a log can read after a session.</summary>
public sealed class BootloaderStats
{
    public int Commands { get; internal set; }
    public int BadChecksums { get; internal set; }
    public int DuplicateBlocks { get; internal set; }
    public int UnknownCommands { get; internal set; }
    public int DroppedReplies { get; internal set; }
    public int TruncatedReplies { get; internal set; }
    public int CorruptedBlocks { get; internal set; }
    public int StubStarts { get; internal set; }
}

namespace Espwire.Flasher.Restore;

/// <summary>One file of a restore plan: where it goes and which file names satisfy it.</summary>
public sealed record AtRestoreEntry(uint Address, AtFileRole Role, string FilePattern, string Purpose);

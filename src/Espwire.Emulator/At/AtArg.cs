namespace Espwire.Emulator.At;

/// <summary>One argument of a set command: its text with escapes resolved, and whether it was quoted.</summary>
public readonly record struct AtArg(string Text, bool Quoted)
{
    public bool IsEmpty => Text.Length == 0 && !Quoted;
}

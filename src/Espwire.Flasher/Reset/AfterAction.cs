namespace Espwire.Flasher.Reset;

/// <summary>What to do when done (<c>--after</c>).</summary>
public enum AfterAction
{
    /// <summary>Reset with GPIO0 high so the new firmware runs.</summary>
    HardReset,
    /// <summary>Leave the module in the loader.</summary>
    NoReset,
}

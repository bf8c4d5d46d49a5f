namespace Espwire.Flasher.Reset;

/// <summary>What to do before talking to the module (<c>--before</c>).</summary>
public enum BeforeAction
{
    /// <summary>Reset into download mode with DTR/RTS (when the link carries them).</summary>
    DefaultReset,
    /// <summary>Assume the module is in download mode already.</summary>
    NoReset,
}

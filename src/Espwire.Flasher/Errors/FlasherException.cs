namespace Espwire.Flasher.Errors;

/// <summary>Flashing failed. <see cref="Hint"/> says what to try next (boot mode, wiring, baud, cable, stub).</summary>
public class FlasherException : Exception
{
    public FlasherException(string message, string hint, Exception? inner = null)
        : base(message, inner) => Hint = hint;

    public string Hint { get; }
}

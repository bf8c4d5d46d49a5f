namespace Espwire.Emulator.At;

/// <summary>A handler found an argument out of range; the session answers ERROR.</summary>
public sealed class AtArgumentException : Exception
{
    public AtArgumentException() : base("Bad AT command argument.") { }

    public AtArgumentException(string message) : base(message) { }

    public AtArgumentException(string message, Exception inner) : base(message, inner) { }
}

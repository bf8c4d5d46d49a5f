namespace Espwire.At.Commands;

/// <summary>Something went wrong talking to the module. <see cref="Hint"/> says what to do next.</summary>
public class AtException : Exception
{
    public AtException(string message, string hint, Exception? inner = null) : base(message, inner) => Hint = hint;

    public string Hint { get; }
}

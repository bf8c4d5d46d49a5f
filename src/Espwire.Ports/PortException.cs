namespace Espwire.Ports;

/// <summary>A port could not be opened or used. <see cref="Hint"/> says what to do next.</summary>
public sealed class PortException : IOException
{
    public PortException(string message, string hint, Exception? inner = null)
        : base(message, inner) => Hint = hint;

    /// <summary>The next step for the user, e.g. how to join the dialout group.</summary>
    public string Hint { get; }
}

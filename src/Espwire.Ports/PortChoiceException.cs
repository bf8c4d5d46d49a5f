namespace Espwire.Ports;

/// <summary>
/// <c>--port auto</c> found several ESP adapters: a usage problem (exit 2), like any port string that cannot be
/// taken one way, so it is a <see cref="FormatException"/>; the message lists them and what to pass.
/// </summary>
public sealed class PortChoiceException : FormatException
{
    public PortChoiceException(IReadOnlyList<SerialPortInfo> candidates)
        : base($"several ESP USB serial adapters found, so --port auto cannot choose: {string.Join(", ", candidates.Select(AutoPort.Describe))}. " +
               $"Pass one with --port, e.g. --port {candidates[0].Path}.")
        => Candidates = candidates;

    public IReadOnlyList<SerialPortInfo> Candidates { get; }
}

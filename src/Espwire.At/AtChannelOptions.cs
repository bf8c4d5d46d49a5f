namespace Espwire.At;

/// <summary>How an <see cref="AtChannel"/> talks to the module.</summary>
public sealed record AtChannelOptions
{
    /// <summary>Line ending sent after every command. The firmware wants CR LF ("Both NL &amp; CR").</summary>
    public string LineEnding { get; init; } = "\r\n";

    /// <summary>How long to wait for an earlier command to end after a <c>busy p...</c> before sending again.</summary>
    public TimeSpan BusyBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public Reader.AtReaderLimits ReaderLimits { get; init; } = new();
}

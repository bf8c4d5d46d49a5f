using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Errors;

/// <summary>The device did not answer a command in time.</summary>
public sealed class NoReplyException : FlasherException
{
    public NoReplyException(Opcode command, TimeSpan timeout, string? noise = null)
        : base($"{command} got no reply within {timeout.TotalSeconds:0.###} s{(string.IsNullOrEmpty(noise) ? "" : $" (the line carried: \"{noise}\")")}.",
               "The device stopped answering. Check TX->RX, RX->TX and GND, the 3.3 V supply and the cable; make sure nothing else has the port open; try a lower --baud.")
    {
        Command = command;
    }

    public Opcode Command { get; }
}

using Espwire.Emulator.At.Dialects;

namespace Espwire.Emulator.At.Commands;

/// <summary>AT+CWMODE, CWLAP, CWLAPOPT, CWJAP, CWQAP, CWDHCP, CWAUTOCONN, CIFSR, CIPSTA, PING, CIPDOMAIN.</summary>
internal static class WifiCommands
{
    public static void Declare(AtDialect dialect, List<AtCommand> commands)
    {
    }
}

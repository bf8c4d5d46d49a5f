using Espwire.Emulator.At.Dialects;

namespace Espwire.Emulator.At.Commands;

/// <summary>AT+CIPMUX, CIPSTART, CIPSEND(EX), CIPCLOSE, CIPSTATUS, CIPSERVER, CIPSTO, CIPMODE, CIPRECVMODE/DATA/LEN, CIPDINFO.</summary>
internal static class TcpIpCommands
{
    public static void Declare(AtDialect dialect, List<AtCommand> commands)
    {
    }
}

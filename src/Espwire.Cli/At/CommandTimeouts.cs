namespace Espwire.Cli.At;

/// <summary>How long a typed command may take, by what it does (a join takes up to 20 s, a scan several).</summary>
internal static class CommandTimeouts
{
    private static readonly (string Prefix, int Seconds)[] Slow =
    [
        ("AT+CWJAP", 25),
        ("AT+CWLAP", 15),
        ("AT+CIPSTART", 20),
        ("AT+PING", 10),
        ("AT+CIPDOMAIN", 10),
        ("AT+RESTORE", 10),
        ("AT+CWSTARTSMART", 10),
    ];

    public static TimeSpan For(string command)
    {
        foreach (var (prefix, seconds) in Slow)
            if (command.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !command.EndsWith('?'))
                return TimeSpan.FromSeconds(seconds);
        return TimeSpan.FromSeconds(5);
    }
}

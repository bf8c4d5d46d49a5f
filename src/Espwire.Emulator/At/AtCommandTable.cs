using Espwire.Emulator.At.Commands;
using Espwire.Emulator.At.Dialects;

namespace Espwire.Emulator.At;

/// <summary>The commands a dialect understands, by name.</summary>
public sealed class AtCommandTable
{
    private static readonly Dictionary<FirmwareDialect, AtCommandTable> Cache = [];
    private readonly Dictionary<string, FirmwareCommand> _byName;

    private AtCommandTable(IEnumerable<FirmwareCommand> commands)
        => _byName = commands.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public IReadOnlyCollection<FirmwareCommand> Commands => _byName.Values;

    public FirmwareCommand? Find(string name) => _byName.GetValueOrDefault(name);

    public static AtCommandTable For(AtDialect dialect)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(dialect.Id, out var table))
            {
                var commands = new List<FirmwareCommand>();
                BasicCommands.Declare(dialect, commands);
                WifiCommands.Declare(dialect, commands);
                TcpIpCommands.Declare(dialect, commands);
                ReceiveCommands.Declare(commands);
                table = new AtCommandTable(commands);
                Cache[dialect.Id] = table;
            }
            return table;
        }
    }

    /// <summary>
    /// A setting command family: the plain name, and on 1.x its _CUR and _DEF names too. Query forms print the
    /// name they were asked by (<c>+CWMODE_CUR:1</c>).
    /// </summary>
    internal static IEnumerable<FirmwareCommand> Family(AtDialect dialect, FirmwareCommand plain, bool plainExists = true)
    {
        if (plainExists) yield return plain;
        if (!dialect.HasCurDefForms) yield break;
        yield return plain with { Name = plain.Name + "_CUR" };
        yield return plain with { Name = plain.Name + "_DEF" };
    }
}

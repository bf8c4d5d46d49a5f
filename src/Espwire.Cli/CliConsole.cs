using Spectre.Console;

namespace Espwire.Cli;

/// <summary>A Spectre console over a verb's output writer: colours, live progress and the terminal's width only on a real
/// terminal; piped or captured output gets plain text 160 columns wide, so tables do not wrap at 80.</summary>
internal static class CliConsole
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 160;
        return console;
    }
}

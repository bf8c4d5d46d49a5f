using Espwire.Cli;

namespace Espwire.Cli.Tests;

public sealed class RootCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await EspwireCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Version_prints_the_assembly_version_and_exits_0()
    {
        var (code, output, _) = await Run("--version");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("0.1.0", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_every_verb()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        // Whole verb names from the Commands: section ("at" must be a verb, not a substring of "readings" or "flash").
        var listed = output[output.IndexOf("Commands:", StringComparison.Ordinal)..].Split('\n').Skip(1)
            .Select(l => l.TrimStart()).Where(l => l.Length > 0).Select(l => l.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var verb in new[] { "serve", "readings", "demo", "emulate", "at", "wifi", "net", "ports", "flash", "image", "ota", "devices" })
            Assert.Contains(verb, listed);
    }

    [Theory]
    [InlineData("no-such-verb", "espwire", "no-such-verb")]
    [InlineData("--no-such-option", "espwire serve", "serve", "--no-such-option")]
    [InlineData("--no-such-option", "espwire flash", "flash", "--no-such-option")]
    public async Task Unknown_words_are_usage_errors_with_exit_code_2(string word, string verb, params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        // The one line that matters, naming the word, and where the help is; not the whole help page.
        var lines = error.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{verb}: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(word, lines[0], StringComparison.Ordinal);
        Assert.Contains($"'{verb} --help'", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", error + output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text or json", "serve", "--log", "nope")]
    [InlineData("table, csv or json", "readings", "--format", "nope")]
    public async Task A_bad_enum_value_lists_the_values_by_name_never_the_dotnet_type(string values, params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains($"'nope' is not a value of {args[1]}: use {values}.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Espwire.", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json needs commands", "at", "--port", "socket://127.0.0.1:9", "--json")]
    [InlineData("'-x' is not an option of espwire at", "at", "--port", "socket://127.0.0.1:9", "-x")]
    [InlineData("Give TEXT or --stdin, not both.", "net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:1", "--stdin", "hi")]
    [InlineData("Nothing to send", "net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:1")]
    [InlineData("is not HOST:PORT", "net", "send", "--port", "socket://127.0.0.1:9", "--to", "127.0.0.1:0", "hi")]
    [InlineData("--local-port must be 1-65535.", "net", "listen", "--port", "socket://127.0.0.1:9", "--local-port", "0")]
    public async Task Usage_checks_run_before_the_device_is_opened(string message, params string[] args)
    {
        // Port 9 on loopback has nothing listening: reaching it would be a device error (exit 1), not a usage error.
        var (code, _, error) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("espwire serve: ", "serve", "--idle-timeout", "-1")]
    [InlineData("espwire demo: ", "demo", "--count", "0")]
    [InlineData("espwire emulate: ", "emulate", "--listen", "10.0.0.1:4000")]
    [InlineData("espwire flash write: ", "flash", "write", "0x1", "missing.bin", "--port", "socket://127.0.0.1:9")]
    public async Task Bad_values_found_inside_a_verb_exit_2_and_name_the_verb(string prefix, params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith(prefix, error, StringComparison.Ordinal);
        Assert.True(error.Trim().Length > prefix.Length + 10, error); // a message follows the verb's name
        Assert.Contains("--help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { "serve", "readings", "demo", "emulate", "at", "wifi", "net", "ports", "flash", "image", "ota", "devices" })
        {
            var (code, output, _) = await Run(verb, "--help");
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }
}

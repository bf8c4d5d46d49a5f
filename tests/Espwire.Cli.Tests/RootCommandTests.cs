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
        foreach (var verb in new[] { "serve", "readings", "demo", "emulate", "at", "wifi", "net", "ports", "flash", "image" })
            Assert.Contains(verb, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no-such-verb")]
    [InlineData("serve", "--no-such-option")]
    [InlineData("flash", "--no-such-option")]
    public async Task Unknown_words_are_usage_errors_with_exit_code_2(params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.NotEqual("", error.Trim());
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
    }

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { "serve", "readings", "demo", "emulate", "at", "wifi", "net", "ports", "flash", "image" })
        {
            var (code, output, _) = await Run(verb, "--help");
            Assert.Equal(ExitCodes.Ok, code);
            Assert.Contains(verb, output, StringComparison.Ordinal);
        }
    }
}

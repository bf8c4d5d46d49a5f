using System.CommandLine;
using System.CommandLine.Parsing;
using Espwire.At.Commands;
using Espwire.Flasher.Errors;
using Espwire.Ports;

namespace Espwire.Cli.Errors;

/// <summary>
/// The one place where a failure becomes words and an exit code: every exception type a verb may let through,
/// and the parser's usage errors. Verbs throw; they do not print their own errors.
/// </summary>
internal static class ErrorReport
{
    private const string DeviceNextStep = "check the port, the cable and that the device is powered.";

    /// <summary>What <paramref name="e"/> means to the user, or null for an exception no verb should let through (a bug).</summary>
    public static Failure? Describe(Exception e, string verb)
    {
        var help = HelpPointer(verb);
        var flashing = IsFlashVerb(verb);
        return e switch
        {
            UsageException u => new Failure(u.Message, help, ExitCodes.UsageError),
            // The typed APIs reject impossible values (a 33-character SSID, port 0) before anything reaches the device.
            ArgumentException a => new Failure(a.Message, help, ExitCodes.UsageError),
            FormatException f => new Failure(f.Message, help, ExitCodes.UsageError),
            FlasherException f => new Failure(f.Message, f.Hint, ExitCodes.DeviceError),
            PortException p => new Failure(p.Message, p.Hint, ExitCodes.DeviceError),
            AtException a => new Failure(a.Message, a.Hint, ExitCodes.DeviceError),
            IOException io when flashing => new Failure(io.Message, "check the file paths and that the device is still connected.", ExitCodes.DeviceError),
            IOException io => new Failure(io.Message, DeviceNextStep, ExitCodes.DeviceError),
            TimeoutException or InvalidOperationException or UnauthorizedAccessException
                => new Failure(e.Message, DeviceNextStep, ExitCodes.DeviceError),
            OperationCanceledException => new Failure("cancelled.", null, ExitCodes.DeviceError),
            _ => null,
        };
    }

    /// <summary>Writes <paramref name="failure"/>: esptool's words for the flash verbs, "verb: message / next: ..." elsewhere.</summary>
    public static void Write(TextWriter error, Failure failure, string verb)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (IsFlashVerb(verb) && failure.ExitCode == ExitCodes.DeviceError)
        {
            error.WriteLine($"A fatal error occurred: {failure.Message}");
            if (failure.NextStep is { } hint) error.WriteLine($"Hint: {hint}");
            return;
        }
        error.WriteLine($"{verb}: {failure.Message}");
        if (failure.NextStep is { } next) error.WriteLine(failure.ExitCode == ExitCodes.UsageError ? $"  {next}" : $"  next: {next}");
    }

    /// <summary>The parser's first error (the one that matters) as a usage failure, enum values named as the user types them.</summary>
    public static Failure FromParse(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var verb = VerbPath(parse);
        if (parse.UnmatchedTokens.Count > 0)
            return new Failure($"'{parse.UnmatchedTokens[0]}' is not a verb, option or argument of {verb}.", HelpPointer(verb), ExitCodes.UsageError);
        var first = parse.Errors[0];
        var message = first.SymbolResult is OptionResult { Option: { } option } result
            && ValueWords(option.ValueType, result.Tokens.Select(t => t.Value).ToArray()) is { } names
            ? $"'{string.Join(' ', result.Tokens.Select(t => t.Value))}' is not a value of {option.Name}: use {names}."
            : first.Message;
        return new Failure(message, HelpPointer(verb), ExitCodes.UsageError);
    }

    public static string VerbPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            names.Add(result.Command is RootCommand ? "espwire" : result.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }

    private static string HelpPointer(string verb) => $"see '{verb} --help' for the options and examples.";

    private static bool IsFlashVerb(string verb) => verb.StartsWith("espwire flash", StringComparison.Ordinal);

    /// <summary>What a value of <paramref name="type"/> looks like, in the user's words (never a .NET type name).</summary>
    private static string? ValueWords(Type type, string[] tokens)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        // Only when a token does not convert (the parser's own failure, recognised by converting it again rather than
        // by the wording of its message): a validator's message about a value that did convert (e.g. "must be at
        // least 1") says it better.
        if (tokens.All(token => Converts(t, token))) return null;
        if (t == typeof(int) || t == typeof(long) || t == typeof(uint) || t == typeof(ushort)) return "a whole number";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number (e.g. 0.5)";
        if (t == typeof(bool)) return "true or false";
        if (!t.IsEnum) return null;
        var names = Enum.GetNames(t).Select(n => n.ToLowerInvariant()).ToArray();
        return names.Length == 1 ? names[0] : string.Join(", ", names[..^1]) + " or " + names[^1];
    }

    /// <summary>Whether System.CommandLine's default conversion would take <paramref name="token"/> as a <paramref name="type"/>
    /// (invariant culture, enums by name ignoring case); other types are taken as converting.</summary>
    private static bool Converts(Type type, string token)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (type.IsEnum) return Enum.TryParse(type, token, ignoreCase: true, out _);
        if (type == typeof(int)) return int.TryParse(token, invariant, out _);
        if (type == typeof(long)) return long.TryParse(token, invariant, out _);
        if (type == typeof(uint)) return uint.TryParse(token, invariant, out _);
        if (type == typeof(ushort)) return ushort.TryParse(token, invariant, out _);
        if (type == typeof(double)) return double.TryParse(token, invariant, out _);
        if (type == typeof(float)) return float.TryParse(token, invariant, out _);
        if (type == typeof(decimal)) return decimal.TryParse(token, invariant, out _);
        if (type == typeof(bool)) return bool.TryParse(token, out _);
        return true;
    }
}

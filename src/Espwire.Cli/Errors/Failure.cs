namespace Espwire.Cli.Errors;

/// <summary>What the user reads when a verb fails: what happened, what to do next, and the exit code.</summary>
internal sealed record Failure(string Message, string? NextStep, int ExitCode);

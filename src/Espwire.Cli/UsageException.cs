namespace Espwire.Cli;

/// <summary>Thrown by a command when its options make no sense together; exits with <see cref="ExitCodes.UsageError"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);

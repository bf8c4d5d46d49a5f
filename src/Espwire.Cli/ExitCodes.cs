namespace Espwire.Cli;

/// <summary>The espwire command's exit codes.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The device or the protocol failed: no answer, an ERROR, a bad checksum, a refused connection.</summary>
    public const int DeviceError = 1;
    /// <summary>The command line was wrong: unknown option, bad value, missing argument.</summary>
    public const int UsageError = 2;
}

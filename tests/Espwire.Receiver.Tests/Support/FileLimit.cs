using System.Runtime.InteropServices;

namespace Espwire.Receiver.Tests.Support;

/// <summary>Raises this process's soft open-file limit toward the hard limit (Linux), for the many-connection tests.</summary>
internal static partial class FileLimit
{
    private const int RlimitNofile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>Returns the soft limit after trying to raise it to at least <paramref name="wanted"/>.</summary>
    public static ulong Ensure(ulong wanted)
    {
        if (!OperatingSystem.IsLinux()) return wanted;
        if (GetRLimit(RlimitNofile, out var limit) != 0) return 0;
        if (limit.Current >= wanted) return limit.Current;
        var raised = new RLimit { Current = Math.Min(wanted, limit.Max), Max = limit.Max };
        return SetRLimit(RlimitNofile, raised) == 0 ? raised.Current : limit.Current;
    }
}

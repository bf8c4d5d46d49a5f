using System.Runtime.InteropServices;

namespace Espwire.Receiver.Hosting;

/// <summary>Raises the process's soft open-file limit to its hard limit (Linux): every connection, waiting ones
/// included, holds a descriptor, and the usual soft limit of 1,024 is far below --max-connections.</summary>
internal static partial class FileDescriptorLimit
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

    /// <summary>The soft limit afterwards (0 when unknown, e.g. not Linux).</summary>
    public static ulong RaiseSoftToHard()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            if (GetRLimit(RlimitNofile, out var limit) != 0) return 0;
            if (limit.Current >= limit.Max) return limit.Current;
            var raised = new RLimit { Current = limit.Max, Max = limit.Max };
            return SetRLimit(RlimitNofile, raised) == 0 ? raised.Current : limit.Current;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }
}

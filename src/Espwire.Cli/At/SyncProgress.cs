namespace Espwire.Cli.At;

/// <summary>An IProgress that reports at once on the caller's thread (Progress&lt;T&gt; posts later, out of order).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

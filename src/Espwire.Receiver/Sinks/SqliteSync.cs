namespace Espwire.Receiver.Sinks;

/// <summary>What a commit (and so an <c>ACK</c>) promises (<c>espwire serve --sync</c>).</summary>
public enum SqliteSync
{
    /// <summary>WAL with synchronous=NORMAL: survives a crash or kill -9 of the receiver; a power cut can lose the last commits.</summary>
    Normal = 0,
    /// <summary>WAL with synchronous=FULL: every commit is fsynced, so it survives power loss too.</summary>
    Full = 1,
}

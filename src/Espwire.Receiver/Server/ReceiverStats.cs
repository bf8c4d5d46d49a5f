using Espwire.Receiver.Framing;

namespace Espwire.Receiver.Server;

/// <summary>Live counters, bumped with Interlocked from many connections.</summary>
internal sealed class ReceiverStats
{
    public long ConnectionsAccepted;
    public long ConnectionsOpen;
    public long RefusedNotAllowed;
    public long RefusedTooManyConnections;
    public long RefusedTooManyFromAddress;
    public long IdleTimeouts;
    public long ConnectionResets;
    public long UdpDatagrams;
    public long ReadingsReceived;
    public long ReadingsStored;
    public long PartialLines;
    public long EmptyLines;
    public long LinesTooLong;
    public long LinesInvalidUtf8;
    public long LinesBinary;
    public long QueueFullWaits;
    public long ConnectionsWaiting;
    public long ConnectionsWaited;
    public long Hellos;
    public long MalformedSeq;
    public long Duplicates;
    public long AcksSent;
    public long NaksSent;
    public long StoreRetries;
    public long ReadingsUnwritten;
    public int StoreFailing;

    public void Count(LineDrop drop)
    {
        switch (drop)
        {
            case LineDrop.TooLong: Interlocked.Increment(ref LinesTooLong); break;
            case LineDrop.InvalidUtf8: Interlocked.Increment(ref LinesInvalidUtf8); break;
            case LineDrop.Binary: Interlocked.Increment(ref LinesBinary); break;
        }
    }

    public ReceiverStatsSnapshot Snapshot(long queued) => new()
    {
        ConnectionsAccepted = Interlocked.Read(ref ConnectionsAccepted),
        ConnectionsOpen = Interlocked.Read(ref ConnectionsOpen),
        RefusedNotAllowed = Interlocked.Read(ref RefusedNotAllowed),
        RefusedTooManyConnections = Interlocked.Read(ref RefusedTooManyConnections),
        RefusedTooManyFromAddress = Interlocked.Read(ref RefusedTooManyFromAddress),
        IdleTimeouts = Interlocked.Read(ref IdleTimeouts),
        ConnectionResets = Interlocked.Read(ref ConnectionResets),
        UdpDatagrams = Interlocked.Read(ref UdpDatagrams),
        ReadingsReceived = Interlocked.Read(ref ReadingsReceived),
        ReadingsStored = Interlocked.Read(ref ReadingsStored),
        ReadingsQueued = queued,
        PartialLines = Interlocked.Read(ref PartialLines),
        EmptyLines = Interlocked.Read(ref EmptyLines),
        LinesTooLong = Interlocked.Read(ref LinesTooLong),
        LinesInvalidUtf8 = Interlocked.Read(ref LinesInvalidUtf8),
        LinesBinary = Interlocked.Read(ref LinesBinary),
        QueueFullWaits = Interlocked.Read(ref QueueFullWaits),
        ConnectionsWaiting = Interlocked.Read(ref ConnectionsWaiting),
        ConnectionsWaited = Interlocked.Read(ref ConnectionsWaited),
        Hellos = Interlocked.Read(ref Hellos),
        MalformedSeq = Interlocked.Read(ref MalformedSeq),
        Duplicates = Interlocked.Read(ref Duplicates),
        AcksSent = Interlocked.Read(ref AcksSent),
        NaksSent = Interlocked.Read(ref NaksSent),
        StoreRetries = Interlocked.Read(ref StoreRetries),
        StoreFailing = Volatile.Read(ref StoreFailing) != 0,
        ReadingsUnwritten = Interlocked.Read(ref ReadingsUnwritten),
    };
}

using System.Globalization;
using Espwire.Emulator.At.Links;

namespace Espwire.Emulator.At;

public sealed partial class AtSession
{
    private string LinkPrefix(AtLink link) => Multiplexed ? link.Id.ToString(CultureInfo.InvariantCulture) + "," : "";

    /// <summary>Active receive: <c>\r\n+IPD,[id,]len[,ip,port]:data</c>.</summary>
    internal async Task DeliverAsync(AtLink link, byte[] data, CancellationToken ct)
    {
        var remote = ShowRemoteInfo ? $",{link.RemoteAddress},{link.RemotePort}" : "";
        var head = System.Text.Encoding.ASCII.GetBytes($"\r\n+IPD,{LinkPrefix(link)}{data.Length}{remote}:");
        var message = new byte[head.Length + data.Length];
        head.CopyTo(message, 0);
        data.CopyTo(message, head.Length);
        await Output.WriteAsync(message, ct).ConfigureAwait(false);
    }

    /// <summary>Passive receive: a notice with the bytes waiting, read with AT+CIPRECVDATA.</summary>
    internal async Task NotifyPassiveDataAsync(AtLink link, int buffered, CancellationToken ct)
        => await Output.WriteAsync($"+IPD,{LinkPrefix(link)}{buffered}\r\n", ct).ConfigureAwait(false);

    internal async Task LinkClosedByPeerAsync(AtLink link)
    {
        if (!link.MarkClosed()) return;
        // In passive mode the bytes still buffered stay readable with AT+CIPRECVDATA: the slot is freed once they are read.
        if (Links[link.Id] == link && link.BufferedLength == 0) Links[link.Id] = null;
        EndTransparentFor(link);
        try
        {
            await Output.LineAsync($"{LinkPrefix(link)}CLOSED", Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await link.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Closes a link the host asked to close; returns the CLOSED line to print.</summary>
    internal async Task<string> CloseLinkAsync(AtLink link)
    {
        link.MarkClosed();
        if (Links[link.Id] == link) Links[link.Id] = null;
        EndTransparentFor(link);
        await link.DisposeAsync().ConfigureAwait(false);
        return $"{LinkPrefix(link)}CLOSED";
    }

    internal bool AnyLinkOpen => Links.Any(l => l is { IsOpen: true });

    /// <summary>The link in slot <paramref name="id"/> if it is open; frees a closed one whose data has been read.</summary>
    internal AtLink? OpenLink(int id)
    {
        var link = Links[id];
        if (link is { IsSpent: true }) Links[id] = null;
        return link is { IsOpen: true } ? link : null;
    }
}

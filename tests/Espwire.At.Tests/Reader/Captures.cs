using System.Text;
using Espwire.At.Reader;

namespace Espwire.At.Tests.Reader;

/// <summary>Feeds captures to a reader in different fragmentations and renders events as comparable strings.</summary>
internal static class Captures
{
    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>Whole, 8 bytes at a time, and one byte at a time: all three must give the same events.</summary>
    public static List<string> FeedAllWays(string capture, string? echo = null)
        => FeedAllWays(Bytes(capture), echo);

    public static List<string> FeedAllWays(byte[] capture, string? echo = null)
    {
        var whole = Feed(capture, capture.Length, echo);
        var eights = Feed(capture, 8, echo);
        var ones = Feed(capture, 1, echo);
        Assert.Equal(whole, eights);
        Assert.Equal(whole, ones);
        return whole;
    }

    public static List<string> Feed(byte[] capture, int chunk, string? echo)
    {
        var reader = new AtReader();
        reader.ExpectEcho(echo);
        var events = new List<AtEvent>();
        for (var i = 0; i < capture.Length; i += chunk)
            reader.Feed(capture.AsSpan(i, Math.Min(chunk, capture.Length - i)), events);
        return events.Select(Render).ToList();
    }

    public static string Render(AtEvent e) => e switch
    {
        EchoLine x => "echo:" + x.Text,
        InfoLine x => "info:" + x.Text,
        FinalLine x => "final:" + x.Code,
        BusyLine x => "busy:" + x.Text,
        PromptEvent => "prompt",
        UnsolicitedLine x => $"unsolicited:{x.Kind}:{x.LinkId?.ToString() ?? "-"}",
        IpdData x => $"ipd:{x.LinkId?.ToString() ?? "-"}:{Convert.ToHexString(x.Data)}{(x.RemoteAddress is null ? "" : $":{x.RemoteAddress}:{x.RemotePort}")}",
        IpdNotice x => $"notice:{x.LinkId?.ToString() ?? "-"}:{x.Length}",
        ReceivedData x => "data:" + Convert.ToHexString(x.Data),
        GarbageLine x => "garbage:" + x.Length,
        _ => e.ToString()!,
    };

    public static string Hex(string s) => Convert.ToHexString(Bytes(s));
}

using System.Net;
using Espwire.Receiver.Live;
using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Tests.Live;

public sealed class LiveHubTests
{
    private static Reading At(string device, int port, long micros) =>
        new(device, new IPEndPoint(IPAddress.Loopback, port), Transport.Tcp, micros, "1", 1, ReadingFlags.None);

    [Fact]
    public void A_resume_older_than_what_the_hub_keeps_is_reported_incomplete_and_replays_what_is_kept()
    {
        var hub = new LiveHub(keep: 4, firstId: 100);
        for (var i = 0; i < 10; i++) hub.Publish(At("a", 5000, 1_000_000 + i));
        Assert.Equal(109, hub.LastId);
        using var stop = new CancellationTokenSource();
        var old = hub.Subscribe(afterId: 101, stop.Token);
        Assert.False(old.Complete);
        Assert.Equal([106L, 107, 108, 109], old.Replay.Select(e => e.Id));
        var recent = hub.Subscribe(afterId: 107, stop.Token);
        Assert.True(recent.Complete);
        Assert.Equal([108L, 109], recent.Replay.Select(e => e.Id));
        stop.Cancel();
        Assert.Equal(0, hub.SubscriberCount);
    }

    [Fact]
    public void A_subscriber_that_falls_too_far_behind_is_cut_off_and_the_writer_never_waits()
    {
        var hub = new LiveHub(keep: 100, firstId: 1) { SubscriberBacklog = 3 };
        using var stop = new CancellationTokenSource();
        var slow = hub.Subscribe(null, stop.Token);
        for (var i = 0; i < 5; i++) hub.Publish(At("a", 5000, i));
        Assert.Equal(0, hub.SubscriberCount);
        // It still gets what it had room for, then the end of its stream.
        var got = new List<long>();
        while (slow.Live.TryRead(out var item)) got.Add(item.Id);
        Assert.Equal([1L, 2, 3], got);
        Assert.True(slow.Live.Completion.IsCompleted);
        Assert.IsType<LiveSubscriberTooSlowException>(slow.Live.Completion.Exception!.GetBaseException());
    }

    [Fact]
    public void Style_comes_from_the_source_ports_and_the_ack_hook_wins()
    {
        var hub = new LiveHub(firstId: 1);
        hub.Publish(At("per-message", 5000, 1));
        hub.Publish(At("per-message", 5001, 2));
        hub.Publish(At("persistent", 6000, 1));
        hub.Publish(At("persistent", 6000, 2));
        hub.Publish(At("acked", 7000, 1));
        hub.MarkAcked("acked");
        var styles = hub.Devices().ToDictionary(d => d.Device, d => d.Style);
        Assert.Equal(TransportStyle.PerMessage, styles["per-message"]);
        Assert.Equal(TransportStyle.Persistent, styles["persistent"]);
        Assert.Equal(TransportStyle.Acked, styles["acked"]);
    }
}

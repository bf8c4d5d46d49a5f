using Espwire.Receiver.Sinks.Mqtt;

namespace Espwire.Receiver.Tests.Mqtt;

/// <summary>The window's cursor rule: it moves only past ids whose publishes, and all before them, are acknowledged.</summary>
public sealed class InFlightWindowTests
{
    [Fact]
    public void The_cursor_moves_only_past_contiguous_acknowledgements()
    {
        var window = new InFlightWindow(4, cursor: 10);
        Assert.True(window.TryAdd(11, out var a));
        Assert.True(window.TryAdd(12, out var b));
        Assert.True(window.TryAdd(13, out var c));

        window.Settle(c, null); // 13 acknowledged before 11 and 12: nothing moves
        Assert.Equal(10, window.Contiguous);
        window.Settle(a, null);
        Assert.Equal(11, window.Contiguous);
        window.Settle(b, null); // 12 closes the gap: 13 was waiting
        Assert.Equal(13, window.Contiguous);
        Assert.Equal(0, window.Outstanding);
    }

    [Fact]
    public void A_side_publish_holds_a_slot_but_never_moves_the_cursor()
    {
        var window = new InFlightWindow(2, cursor: 0);
        Assert.True(window.TryAdd(5, out var reading));
        Assert.True(window.TryAdd(0, out var status));
        Assert.False(window.TryAdd(6, out _)); // full: the status counts against the window
        window.Settle(status, null);
        Assert.Equal(0, window.Contiguous);
        window.Settle(reading, null);
        Assert.Equal(5, window.Contiguous);
    }

    [Fact]
    public async Task A_full_window_waits_for_the_first_free_slot_and_its_slots_are_reused_in_order()
    {
        var window = new InFlightWindow(2, cursor: 0);
        Assert.True(window.TryAdd(1, out var first));
        Assert.True(window.TryAdd(2, out var second));
        var room = window.WaitForRoomAsync(CancellationToken.None).AsTask();
        Assert.False(room.IsCompleted);
        window.Settle(first, null);
        Assert.True(await room.WaitAsync(TimeSpan.FromSeconds(30)));
        // Round the ring a few times: ids keep their order through reused slots.
        var slots = new Queue<int>([second]);
        for (long id = 3; id <= 20; id++)
        {
            Assert.True(window.TryAdd(id, out var slot));
            slots.Enqueue(slot);
            window.Settle(slots.Dequeue(), null);
            Assert.Equal(id - 1, window.Contiguous);
        }
        window.Settle(slots.Dequeue(), null);
        Assert.Equal(20, window.Contiguous);
        await window.DrainedAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_failed_publish_stops_the_cursor_before_it_and_fails_the_waiting_sender()
    {
        var window = new InFlightWindow(3, cursor: 0);
        Assert.True(window.TryAdd(1, out var one));
        Assert.True(window.TryAdd(2, out var two));
        Assert.True(window.TryAdd(3, out var three));
        var room = window.WaitForRoomAsync(CancellationToken.None).AsTask();
        var drained = window.DrainedAsync();

        window.Settle(one, null);
        window.Settle(two, new IOException("connection lost"));
        window.Settle(three, null); // its PUBACK came, but 2 never will: the cursor stays at 1
        Assert.Equal(1, window.Contiguous);
        Assert.True(window.Failed.IsCompleted);
        Assert.IsType<IOException>(window.Error);
        // The first settlement freed a slot before the failure, so the sender was let go; once failed, no more slots.
        Assert.True(await room.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.False(await window.WaitForRoomAsync(CancellationToken.None));
        Assert.False(window.TryAdd(4, out _));
        await drained.WaitAsync(TimeSpan.FromSeconds(30)); // every publish settled, one way or the other
    }
}

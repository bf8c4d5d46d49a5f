using Espwire.Testing;
using Espwire.At.Commands;
using Espwire.At.Reader;
using Espwire.At.Wifi;
using Espwire.Emulator;
using Espwire.Emulator.World;

namespace Espwire.At.Tests.Emulated;

/// <summary>What the field's host libraries fight: busy p... after a host-side timeout, and a module that restarts.</summary>
public class RecoveryTests
{
    private static CancellationToken Timeout => TestTimeouts.Ceiling(TestTimeouts.Seconds(60));

    [Theory]
    [MemberData(nameof(EmulatedModule.Dialects), MemberType = typeof(EmulatedModule))]
    public async Task Busy_p_after_a_join_the_host_gave_up_on_is_waited_out(FirmwareDialect dialect)
    {
        // Real time (scale 1) and a join of 8.5 s the host gives up on after 0.3 s: the module is still joining when
        // the mode query goes, so it answers busy p... The channel then waits for the join's own final (an event,
        // with a generous ceiling), not for a guessed time, and sends the query again. The 8.2 s between the two is
        // the margin a loaded machine has to send the query; both ends scale with the tests' one knob.
        var world = WifiWorld.Default with { Timing = new Timing { AssociateMs = (int)TestTimeouts.Milliseconds(8000).TotalMilliseconds, DhcpMs = 500 } };
        await using var m = await EmulatedModule.StartAsync(dialect, Transport.Socket, world, timeScale: 1,
            options: new AtModuleOptions
            {
                JoinTimeout = TestTimeouts.Milliseconds(300),
                Channel = new AtChannelOptions { BusyBackoff = TimeSpan.FromSeconds(60) },
            });
        var busy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = m.At.Channel.Subscribe(e => { if (e is BusyLine) busy.TrySetResult(); });

        await Assert.ThrowsAsync<AtTimeoutException>(() => m.At.Wifi.JoinAsync("iptime", "admin", null, Timeout));
        var mode = await m.At.Wifi.GetModeAsync(Timeout); // answered busy p... first, then retried
        Assert.Equal(WifiMode.Station, mode);
        Assert.True(busy.Task.IsCompleted, "the module never said busy p...; the test did not exercise the retry");
        Assert.True((await m.At.Wifi.GetAddressesAsync(Timeout)).HasIp); // the join finished on the module
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.All), MemberType = typeof(EmulatedModule))]
    public async Task A_module_restart_is_noticed_and_the_driver_sets_it_up_again(FirmwareDialect dialect, Transport transport)
    {
        await using var m = await EmulatedModule.StartAsync(dialect, transport);
        Assert.False(m.At.Channel.EchoOn);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = m.At.Channel.Subscribe(e => { if (e is UnsolicitedLine { Kind: Unsolicited.Ready }) ready.TrySetResult(); });

        m.Module.Reset(gpio0Low: false); // EN pulse: boot text at 74880, then ready, echo on
        await ready.Task.WaitAsync(TestTimeouts.Patience);
        Assert.True(m.At.Channel.ResetSeen);

        Assert.Equal(WifiMode.Station, await m.At.Wifi.GetModeAsync(Timeout));
        Assert.False(m.At.Channel.ResetSeen);
        Assert.False(m.At.Channel.EchoOn); // ATE0 again
        Assert.True(m.At.Channel.GarbageBytes > 0); // the boot text was counted, not parsed
    }
}

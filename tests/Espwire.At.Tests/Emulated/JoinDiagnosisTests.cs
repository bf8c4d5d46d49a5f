using Espwire.Testing;
using Espwire.Protocol.At;
using Espwire.At.Wifi;
using Espwire.Emulator;
using Espwire.Emulator.World;

namespace Espwire.At.Tests.Emulated;

/// <summary>The seed's failed join (station DHCP off) and the other typed join failures.</summary>
public class JoinDiagnosisTests
{
    private static CancellationToken Timeout => TestTimeouts.Ceiling(TestTimeouts.Seconds(60));

    [Theory]
    [MemberData(nameof(EmulatedModule.All), MemberType = typeof(EmulatedModule))]
    public async Task Dhcp_off_is_diagnosed_and_the_seeds_fix_makes_the_join_work(FirmwareDialect dialect, Transport transport)
    {
        await using var m = await EmulatedModule.StartAsync(dialect, transport, WifiWorld.Default.WithStationDhcpOff());
        var failed = await m.At.Wifi.JoinAsync("iptime", "admin", null, Timeout);
        Assert.False(failed.Success);
        Assert.Equal(JoinFailure.Timeout, failed.Failure);
        Assert.True(failed.Associated);
        Assert.False(failed.GotIp);
        var diagnosis = Assert.IsType<JoinDiagnosis>(failed.Diagnosis);
        Assert.True(diagnosis.DhcpOff);
        Assert.Equal("AT+CWDHCP=1,1", diagnosis.FixCommand);
        Assert.Contains("DHCP is off", diagnosis.Summary, StringComparison.Ordinal);
        Assert.False(await m.At.Wifi.GetStationDhcpAsync(Timeout));

        await m.At.Wifi.SetStationDhcpAsync(true, persist: true, Timeout);
        Assert.True(await m.At.Wifi.GetStationDhcpAsync(Timeout));
        var joined = await m.At.Wifi.JoinAsync("iptime", "admin", null, Timeout);
        Assert.True(joined.Success);
        Assert.True((await m.At.Wifi.GetAddressesAsync(Timeout)).HasIp);
    }

    [Theory]
    [MemberData(nameof(EmulatedModule.Dialects), MemberType = typeof(EmulatedModule))]
    public async Task Wrong_password_and_missing_networks_are_typed_failures(FirmwareDialect dialect)
    {
        await using var m = await EmulatedModule.StartAsync(dialect, Transport.Socket);

        var wrong = await m.At.Wifi.JoinAsync("iptime", "not-the-password", null, Timeout);
        Assert.Equal(JoinFailure.WrongPassword, wrong.Failure);
        Assert.False(wrong.Diagnosis!.DhcpOff);
        Assert.Contains("password", wrong.Diagnosis.Summary, StringComparison.OrdinalIgnoreCase);

        var missing = await m.At.Wifi.JoinAsync("no-such-network", "x", null, Timeout);
        Assert.Equal(JoinFailure.ApNotFound, missing.Failure);

        // The ESP8266 cannot hear 5 GHz: the seed's note.
        var fiveGhz = await m.At.Wifi.JoinAsync("iptime_5G", "admin", null, Timeout);
        Assert.Equal(JoinFailure.ApNotFound, fiveGhz.Failure);
        Assert.Contains("2.4 GHz", fiveGhz.Diagnosis!.NextStep, StringComparison.Ordinal);
    }
}

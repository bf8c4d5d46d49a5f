using Espwire.Protocol.At;
using System.Net;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Wifi;

/// <summary>
/// The module's Wi-Fi station interface in the virtual world: scanning, joining (with the real steps'
/// durations), the address it holds. Lives in RAM: a reset leaves it disconnected.
/// </summary>
public sealed class Station
{
    private readonly VirtualModule _module;

    public Station(VirtualModule module) => _module = module;

    private WifiWorld World => _module.World;

    /// <summary>The access point the station is associated with, or null.</summary>
    public VirtualAccessPoint? AccessPoint { get; private set; }

    /// <summary>The station's IPv4 address once it has one.</summary>
    public string? Address { get; private set; }

    public bool IsAssociated => AccessPoint is not null;

    public bool HasAddress => Address is not null;

    /// <summary>What a scan finds: 2.4 GHz access points only (the ESP8266 has no 5 GHz radio).</summary>
    public IReadOnlyList<VirtualAccessPoint> VisibleAccessPoints()
        => World.AccessPoints.Where(a => a.Band == Band.Ghz24).ToList();

    public async Task<IReadOnlyList<VirtualAccessPoint>> ScanAsync(CancellationToken ct)
    {
        await _module.Clock.DelayAsync(World.Timing.ScanMs, ct).ConfigureAwait(false);
        return VisibleAccessPoints();
    }

    /// <summary>The address DHCP gives this module: the world's module address plus the module's index.</summary>
    public string DhcpAddress()
    {
        var bytes = IPAddress.Parse(World.Lan.ModuleAddress).GetAddressBytes();
        var value = (uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]) + (uint)_module.Options.Index;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }

    /// <summary>
    /// Joins <paramref name="ssid"/>. <paramref name="onAssociated"/> runs when the link comes up (the firmware's
    /// WIFI CONNECTED), before the address is known. On failure the station ends disassociated.
    /// </summary>
    public async Task<JoinFailure> JoinAsync(string ssid, string password, bool dhcp, string? staticIp,
        Func<Task>? onAssociated, CancellationToken ct)
    {
        Disconnect();
        var timing = World.Timing;
        var ap = VisibleAccessPoints().FirstOrDefault(a => a.Ssid == ssid);
        if (ap is null)
        {
            await _module.Clock.DelayAsync(timing.NoApMs, ct).ConfigureAwait(false);
            return JoinFailure.ApNotFound;
        }
        if (ap.Security != Security.Open && ap.Password != password)
        {
            await _module.Clock.DelayAsync(timing.WrongPasswordMs, ct).ConfigureAwait(false);
            return JoinFailure.WrongPassword;
        }
        await _module.Clock.DelayAsync(timing.AssociateMs, ct).ConfigureAwait(false);
        AccessPoint = ap;
        if (onAssociated is not null) await onAssociated().ConfigureAwait(false);
        if (staticIp is not null)
        {
            Address = staticIp;
            return JoinFailure.None;
        }
        if (dhcp && ap.Dhcp)
        {
            await _module.Clock.DelayAsync(timing.DhcpMs, ct).ConfigureAwait(false);
            Address = DhcpAddress();
            return JoinFailure.None;
        }
        // Associated but no address will come: the join times out.
        await _module.Clock.DelayAsync(Math.Max(0, timing.JoinTimeoutMs - timing.AssociateMs), ct).ConfigureAwait(false);
        AccessPoint = null;
        return JoinFailure.Timeout;
    }

    /// <summary>Gives the station a static address (AT+CIPSTA) while associated.</summary>
    public void SetStaticAddress(string address)
    {
        if (IsAssociated) Address = address;
    }

    public void Disconnect()
    {
        AccessPoint = null;
        Address = null;
    }
}

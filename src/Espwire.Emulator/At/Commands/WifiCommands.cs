using Espwire.Protocol.At;
using System.Globalization;
using System.Net;
using Espwire.Emulator.At.Dialects;
using Espwire.Emulator.Wifi;

namespace Espwire.Emulator.At.Commands;

/// <summary>AT+CWMODE, CWLAP, CWLAPOPT, CWJAP, CWQAP, CWDHCP, CWAUTOCONN, CIFSR, CIPSTA, PING, CIPDOMAIN.</summary>
internal static class WifiCommands
{
    private const string SoftApAddress = "192.168.4.1";

    public static void Declare(AtDialect dialect, List<FirmwareCommand> commands)
    {
        commands.AddRange(AtCommandTable.Family(dialect, new FirmwareCommand("+CWMODE") { Query = ModeQuery, Set = ModeSet }));
        commands.AddRange(AtCommandTable.Family(dialect, new FirmwareCommand("+CWJAP") { Query = JoinQuery, Set = Join, LongSet = true }));
        commands.AddRange(AtCommandTable.Family(dialect, new FirmwareCommand("+CWDHCP") { Query = DhcpQuery, Set = DhcpSet }));
        commands.AddRange(AtCommandTable.Family(dialect, new FirmwareCommand("+CIPSTA") { Query = StaQuery, Set = StaSet }));
        commands.Add(new FirmwareCommand("+CWLAP") { Execute = Scan, Set = Scan, LongExecute = true, LongSet = true });
        commands.Add(new FirmwareCommand("+CWLAPOPT") { Set = ScanOptions });
        commands.Add(new FirmwareCommand("+CWQAP") { Execute = Quit });
        commands.Add(new FirmwareCommand("+CWAUTOCONN") { Query = AutoConnectQuery, Set = AutoConnectSet });
        commands.Add(new FirmwareCommand("+CIFSR") { Execute = Addresses });
        commands.Add(new FirmwareCommand("+PING") { Set = Ping, LongSet = true });
        commands.Add(new FirmwareCommand("+CIPDOMAIN") { Set = Domain, LongSet = true });
    }

    private static bool StationOn(AtSession s) => s.Ram.WifiMode is 1 or 3;

    private static async ValueTask<AtResult> ModeQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        var mode = r.Name.EndsWith("_DEF", StringComparison.Ordinal) ? s.Module.Flash.Current.WifiMode : s.Ram.WifiMode;
        await s.Output.LineAsync($"{r.Name}:{mode}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> ModeSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        var mode = r.Int(0);
        var min = s.Dialect.LowestWifiMode;
        if (r.Count != 1 || mode is null || mode < min || mode > 3) return new(AtResult.Error);
        s.Apply(Persist(r), f => f with { WifiMode = mode.Value });
        if (mode is 0 or 2) s.Station.Disconnect();
        return new(AtResult.Ok);
    }

    private static Persistence Persist(AtRequest r)
        => r.Name.EndsWith("_CUR", StringComparison.Ordinal) ? Persistence.Current
            : r.Name.EndsWith("_DEF", StringComparison.Ordinal) ? Persistence.Default
            : Persistence.Plain;

    private static async ValueTask<AtResult> Scan(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!StationOn(s)) return AtResult.Error;
        string? only = null;
        if (r.Kind == AtCommandKind.Set)
        {
            only = r.Str(0);
            if (only is null) return AtResult.Error;
        }
        var found = await s.Station.ScanAsync(ct).ConfigureAwait(false);
        var list = found.Where(a => only is null || a.Ssid == only);
        if (s.ScanSort == 1) list = list.OrderByDescending(a => a.Rssi);
        foreach (var ap in list) await s.Output.LineAsync(s.Dialect.ScanLine(ap, s.ScanMask), ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> ScanOptions(AtSession s, AtRequest r, CancellationToken ct)
    {
        var sort = r.Int(0);
        var mask = r.Int(1);
        if (r.Count is < 1 or > 2 || sort is not (0 or 1)) return new(AtResult.Error);
        if (r.Count == 2 && mask is not (>= 0 and <= 0x7FF)) return new(AtResult.Error);
        s.ScanSort = sort.Value;
        if (mask is not null) s.ScanMask = mask.Value;
        return new(AtResult.Ok);
    }

    private static async ValueTask<AtResult> JoinQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        var ap = s.Station.AccessPoint;
        if (ap is null || !s.Station.HasAddress)
        {
            await s.Output.LineAsync("No AP", ct).ConfigureAwait(false);
            return AtResult.Ok;
        }
        var line = s.Dialect.JoinedReply(ap);
        await s.Output.LineAsync(r.Name + line["+CWJAP".Length..], ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> Join(AtSession s, AtRequest r, CancellationToken ct)
    {
        var ssid = r.Str(0);
        var password = r.Count >= 2 ? r.Str(1) : "";
        if (ssid is null || password is null || r.Count > 5 || ssid.Length is 0 or > 32 || password.Length > 64) return AtResult.Error;
        if (!StationOn(s)) return AtResult.Error;
        if (s.Station.IsAssociated)
        {
            s.Station.Disconnect();
            await s.Output.LineAsync("WIFI DISCONNECT", ct).ConfigureAwait(false);
        }
        s.HadLinks = false;
        var failure = await s.Station.JoinAsync(ssid, password, s.Ram.StationDhcp, s.Ram.StationDhcp ? null : s.Ram.StaticIp,
            () => s.Output.LineAsync("WIFI CONNECTED", ct).AsTask(), ct).ConfigureAwait(false);
        if (failure == JoinFailure.None)
        {
            await s.Output.LineAsync("WIFI GOT IP", ct).ConfigureAwait(false);
            s.Apply(Persist(r), f => f with { Ssid = ssid, Password = password });
            return AtResult.Ok;
        }
        await s.Output.LineAsync($"+CWJAP:{(int)failure}", ct).ConfigureAwait(false);
        await s.Output.FinalAsync(s.Dialect.JoinFailureResult, ct).ConfigureAwait(false);
        // The seed's capture: an association that got no address is torn down after the failure.
        if (failure == JoinFailure.Timeout) await s.Output.LineAsync("WIFI DISCONNECT", ct).ConfigureAwait(false);
        return AtResult.None;
    }

    private static async ValueTask<AtResult> Quit(AtSession s, AtRequest r, CancellationToken ct)
    {
        var was = s.Station.IsAssociated;
        s.Station.Disconnect();
        await s.Output.FinalAsync(AtResult.Ok, ct).ConfigureAwait(false);
        if (!was) return AtResult.None;
        await s.Output.LineAsync("WIFI DISCONNECT", ct).ConfigureAwait(false);
        // Leaving the network takes the links with it.
        foreach (var link in s.Links.Where(l => l is { IsOpen: true }).ToList())
            await s.Output.LineAsync(await s.CloseLinkAsync(link!).ConfigureAwait(false), ct).ConfigureAwait(false);
        return AtResult.None;
    }

    private static async ValueTask<AtResult> DhcpQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        var f = r.Name.EndsWith("_DEF", StringComparison.Ordinal) ? s.Module.Flash.Current : s.Ram;
        await s.Output.LineAsync($"{r.Name}:{s.Dialect.DhcpQueryBits(f.StationDhcp, f.SoftApDhcp)}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> DhcpSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        var a = r.Int(0);
        var b = r.Int(1);
        if (r.Count != 2 || a is null || b is null) return new(AtResult.Error);
        var change = s.Dialect.ParseDhcpSet(a.Value, b.Value);
        if (change is null) return new(AtResult.Error);
        var (station, softAp) = change.Value;
        s.Apply(Persist(r), f => f with
        {
            StationDhcp = station ?? f.StationDhcp,
            SoftApDhcp = softAp ?? f.SoftApDhcp,
            // Turning station DHCP on drops a static address, as on the module.
            StaticIp = station == true ? null : f.StaticIp,
            StaticGateway = station == true ? null : f.StaticGateway,
            StaticNetmask = station == true ? null : f.StaticNetmask,
        });
        return new(AtResult.Ok);
    }

    private static async ValueTask<AtResult> AutoConnectQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        await s.Output.LineAsync($"+CWAUTOCONN:{(s.Module.Flash.Current.AutoConnect ? 1 : 0)}", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> AutoConnectSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (!r.TryFlag(out var on)) return new(AtResult.Error);
        // CWAUTOCONN always saves to flash.
        s.Apply(Persistence.Default, f => f with { AutoConnect = on });
        return new(AtResult.Ok);
    }

    private static async ValueTask<AtResult> Addresses(AtSession s, AtRequest r, CancellationToken ct)
    {
        if (s.Ram.WifiMode is 2 or 3)
        {
            await s.Output.LineAsync($"+CIFSR:APIP,\"{SoftApAddress}\"", ct).ConfigureAwait(false);
            await s.Output.LineAsync($"+CIFSR:APMAC,\"{s.Module.SoftApMacAddress}\"", ct).ConfigureAwait(false);
        }
        if (s.Ram.WifiMode is 1 or 3)
        {
            await s.Output.LineAsync($"+CIFSR:STAIP,\"{s.Station.Address ?? "0.0.0.0"}\"", ct).ConfigureAwait(false);
            await s.Output.LineAsync($"+CIFSR:STAMAC,\"{s.Module.MacAddress}\"", ct).ConfigureAwait(false);
        }
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> StaQuery(AtSession s, AtRequest r, CancellationToken ct)
    {
        var f = r.Name.EndsWith("_DEF", StringComparison.Ordinal) ? s.Module.Flash.Current : s.Ram;
        string ip, gateway, mask;
        if (r.Name.EndsWith("_DEF", StringComparison.Ordinal))
        {
            ip = f.StaticIp ?? "0.0.0.0";
            gateway = f.StaticGateway ?? "0.0.0.0";
            mask = f.StaticNetmask ?? "0.0.0.0";
        }
        else if (s.Station.Address is { } address)
        {
            ip = address;
            gateway = f.StaticGateway ?? s.Module.World.Lan.Gateway;
            mask = f.StaticNetmask ?? s.Module.World.Lan.Netmask;
        }
        else
        {
            ip = gateway = mask = "0.0.0.0";
        }
        await s.Output.LineAsync($"{r.Name}:ip:\"{ip}\"", ct).ConfigureAwait(false);
        await s.Output.LineAsync($"{r.Name}:gateway:\"{gateway}\"", ct).ConfigureAwait(false);
        await s.Output.LineAsync($"{r.Name}:netmask:\"{mask}\"", ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static ValueTask<AtResult> StaSet(AtSession s, AtRequest r, CancellationToken ct)
    {
        var ip = r.Str(0);
        var gateway = r.Count >= 2 ? r.Str(1) : null;
        var mask = r.Count >= 3 ? r.Str(2) : null;
        if (ip is null || r.Count is 2 or > 3 || !IsIpv4(ip) || (gateway is not null && !IsIpv4(gateway)) || (mask is not null && !IsIpv4(mask)))
            return new(AtResult.Error);
        if (r.Count == 3 && (gateway is null || mask is null)) return new(AtResult.Error);
        // A static address turns station DHCP off.
        s.Apply(Persist(r), f => f with { StaticIp = ip, StaticGateway = gateway, StaticNetmask = mask, StationDhcp = false });
        s.Station.SetStaticAddress(ip);
        return new(AtResult.Ok);
    }

    private static bool IsIpv4(string text)
        => IPAddress.TryParse(text, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Count(c => c == '.') == 3;

    private static async ValueTask<AtResult> Ping(AtSession s, AtRequest r, CancellationToken ct)
    {
        var host = r.Str(0);
        if (host is null || r.Count != 1 || host.Length is 0 or > 64) return AtResult.Error;
        var timing = s.Module.World.Timing;
        IPAddress? address = null;
        if (s.Station.HasAddress)
        {
            await s.Module.Clock.DelayAsync(IPAddress.TryParse(host, out _) ? 0 : timing.DnsMs, ct).ConfigureAwait(false);
            address = await s.Module.Network.ResolveAsync(host, ct).ConfigureAwait(false);
        }
        var rtt = address is null ? null : s.Module.Network.PingRttMs(host, address);
        if (rtt is null)
        {
            await s.Module.Clock.DelayAsync(timing.PingTimeoutMs, ct).ConfigureAwait(false);
            await s.Output.LineAsync(s.Dialect.PingTimeout, ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        await s.Module.Clock.DelayAsync(rtt.Value, ct).ConfigureAwait(false);
        await s.Output.LineAsync(s.Dialect.PingReply(rtt.Value), ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    private static async ValueTask<AtResult> Domain(AtSession s, AtRequest r, CancellationToken ct)
    {
        var host = r.Str(0);
        if (host is null || r.Count != 1 || host.Length is 0 or > 64) return AtResult.Error;
        if (!s.Station.HasAddress) return AtResult.Error;
        await s.Module.Clock.DelayAsync(s.Module.World.Timing.DnsMs, ct).ConfigureAwait(false);
        var address = await s.Module.Network.ResolveAsync(host, ct).ConfigureAwait(false);
        if (address is null)
        {
            await s.Output.LineAsync("DNS Fail", ct).ConfigureAwait(false);
            return AtResult.Error;
        }
        await s.Output.LineAsync(s.Dialect.DomainReply(address.ToString()), ct).ConfigureAwait(false);
        return AtResult.Ok;
    }

    internal static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}

using Espwire.Protocol.At;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Espwire.Emulator.World;

/// <summary>
/// The virtual Wi-Fi world around a module: access points, the LAN behind them, DNS names and timings.
/// Loaded from a JSON file (<see cref="Load"/>) or <see cref="Default"/>, which reproduces the seed.
/// </summary>
public sealed record WifiWorld
{
    public IReadOnlyList<VirtualAccessPoint> AccessPoints { get; init; } = [];

    public Lan Lan { get; init; } = new();

    public IReadOnlyList<DnsName> Dns { get; init; } = [];

    public Timing Timing { get; init; } = new();

    /// <summary>Station DHCP at factory settings. The seed's module shipped with it off, so its first join failed
    /// with +CWJAP:1 until <c>AT+CWDHCP=1,1</c>.</summary>
    public bool StationDhcpAtStart { get; init; } = true;

    /// <summary>The seed's world: "iptime" (WPA2, -88 dBm, 2.4 GHz, password admin), its 5 GHz twin that the
    /// ESP8266 cannot see, the laptop at 192.168.0.40 on loopback, and a few DNS names.</summary>
    public static WifiWorld Default { get; } = new()
    {
        AccessPoints =
        [
            new VirtualAccessPoint { Ssid = "iptime", Password = "admin", Security = Security.Wpa2Psk, Rssi = -88, Channel = 6, Bssid = "88:36:6c:1a:2b:3c", Band = Band.Ghz24 },
            new VirtualAccessPoint { Ssid = "iptime_5G", Password = "admin", Security = Security.Wpa2Psk, Rssi = -71, Channel = 149, Bssid = "88:36:6c:1a:2b:3d", Band = Band.Ghz5 },
        ],
        Lan = new Lan
        {
            ModuleAddress = "192.168.0.138",
            Gateway = "192.168.0.1",
            Netmask = "255.255.255.0",
            Hosts = [new LanHost { Address = "192.168.0.40", Name = "laptop", Loopback = "127.0.0.1", RttMs = 4 }],
        },
        Dns =
        [
            new DnsName { Name = "www.google.com", Address = "142.250.196.100", RttMs = 38 },
            new DnsName { Name = "www.espressif.com", Address = "47.88.2.128", RttMs = 112 },
            new DnsName { Name = "iot.espressif.cn", Address = "115.29.202.58", RttMs = 74 },
        ],
    };

    /// <summary>The seed's world with station DHCP off at start, to reproduce its failed join.</summary>
    public WifiWorld WithStationDhcpOff() => this with { StationDhcpAtStart = false };

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads a world file. Throws <see cref="InvalidDataException"/> saying what is wrong.</summary>
    public static WifiWorld Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read the world file '{path}': {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static WifiWorld Parse(string json, string source = "world")
    {
        WifiWorld? world;
        try
        {
            world = JsonSerializer.Deserialize<WifiWorld>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source} is not a valid world file: {e.Message} Write one with `espwire emulate --print-world`.", e);
        }
        if (world is null) throw new InvalidDataException($"{source} is empty.");
        world.Validate(source);
        return world;
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    private void Validate(string source)
    {
        foreach (var ap in AccessPoints)
        {
            if (string.IsNullOrEmpty(ap.Ssid) || ap.Ssid.Length > 32)
                throw new InvalidDataException($"{source}: every access point needs an SSID of 1-32 characters.");
            if (ap.Security != Security.Open && ap.Password.Length is < 5 or > 64)
                throw new InvalidDataException($"{source}: access point '{ap.Ssid}' needs a password of 5-64 characters (or security open).");
        }
        if (!System.Net.IPAddress.TryParse(Lan.ModuleAddress, out _))
            throw new InvalidDataException($"{source}: lan.moduleAddress '{Lan.ModuleAddress}' is not an IPv4 address.");
        foreach (var h in Lan.Hosts)
        {
            if (!System.Net.IPAddress.TryParse(h.Address, out _))
                throw new InvalidDataException($"{source}: lan host address '{h.Address}' is not an IP address.");
            if (!System.Net.IPAddress.TryParse(h.Loopback, out var lb) || !System.Net.IPAddress.IsLoopback(lb))
                throw new InvalidDataException($"{source}: lan host {h.Address} maps to '{h.Loopback}', which is not a loopback address (127.0.0.1 or ::1).");
        }
        foreach (var d in Dns)
        {
            if (!System.Net.IPAddress.TryParse(d.Address, out _))
                throw new InvalidDataException($"{source}: DNS name '{d.Name}' has address '{d.Address}', which is not an IP address.");
        }
    }
}

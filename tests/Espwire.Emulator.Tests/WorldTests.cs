using Espwire.Protocol.At;
using Espwire.Emulator.World;

namespace Espwire.Emulator.Tests;

public class WorldTests
{
    [Fact]
    public void Default_world_round_trips_through_json()
    {
        var json = WifiWorld.Default.ToJson();
        Assert.Contains("\"ssid\": \"iptime\"", json);
        Assert.Contains("\"band\": \"ghz5\"", json);
        var back = WifiWorld.Parse(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(-88, back.AccessPoints[0].Rssi);
        Assert.Equal("192.168.0.40", back.Lan.Hosts[0].Address);
    }

    [Fact]
    public void Partial_world_file_takes_defaults_for_the_rest()
    {
        var world = WifiWorld.Parse("""{ "accessPoints": [ { "ssid": "lab", "password": "secret123", "rssi": -50 } ], "stationDhcpAtStart": false }""");
        Assert.Equal("lab", world.AccessPoints[0].Ssid);
        Assert.Equal(Security.Wpa2Psk, world.AccessPoints[0].Security);
        Assert.False(world.StationDhcpAtStart);
        Assert.Equal("192.168.0.138", world.Lan.ModuleAddress);
        Assert.Equal(2600, world.Timing.AssociateMs);
    }

    [Theory]
    [InlineData("""{ "accessPoints": [ { "ssid": "" } ] }""", "SSID")]
    [InlineData("""{ "lan": { "hosts": [ { "address": "192.168.0.40", "loopback": "192.168.0.40" } ] } }""", "not a loopback address")]
    [InlineData("""{ "lan": { "moduleAddress": "nope" } }""", "moduleAddress")]
    [InlineData("""{ "accessPoints": [ """, "not a valid world file")]
    [InlineData("""{ "dns": [ { "name": "x", "address": "y" } ] }""", "not an IP address")]
    public void Bad_world_files_say_what_is_wrong(string json, string hint)
    {
        var e = Assert.Throws<InvalidDataException>(() => WifiWorld.Parse(json, "world.json"));
        Assert.Contains(hint, e.Message);
    }

    [Fact]
    public async Task Lan_host_port_map_and_names_route_to_loopback()
    {
        var world = WifiWorld.Default with
        {
            Lan = WifiWorld.Default.Lan with
            {
                Hosts = [new LanHost { Address = "192.168.0.40", Name = "laptop", Ports = new Dictionary<int, int> { [12345] = 40000 } }],
            },
        };
        var gateway = new Network.NetworkGateway(world, allowNetwork: false);
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 40000), gateway.Route(System.Net.IPAddress.Parse("192.168.0.40"), 12345));
        Assert.Equal(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 80), gateway.Route(System.Net.IPAddress.Parse("192.168.0.40"), 80));
        Assert.Equal(System.Net.IPAddress.Parse("192.168.0.40"), await gateway.ResolveAsync("laptop", CancellationToken.None));
        Assert.Equal(System.Net.IPAddress.Parse("142.250.196.100"), await gateway.ResolveAsync("WWW.GOOGLE.COM", CancellationToken.None));
        // A world name that resolves to a public address is pingable but not connectable.
        Assert.Null(gateway.Route(System.Net.IPAddress.Parse("142.250.196.100"), 80));
    }
}

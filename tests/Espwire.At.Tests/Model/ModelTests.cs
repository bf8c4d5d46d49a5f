using Espwire.At.Commands;
using Espwire.Protocol.At;
using Espwire.At.Dialects;
using Espwire.At.Errors;
using Espwire.At.Wifi;

namespace Espwire.At.Tests.Model;

public class ModelTests
{
    [Fact]
    public void Cwlap_capture_from_the_reference_parses()
    {
        var ap = ScanLine.Parse("+CWLAP:(3,\"Get-2G-A4948D\",-87,\"98:1e:19:a4:94:92\",1,-26,0)");
        Assert.Equal(new AccessPoint("Get-2G-A4948D", Security.Wpa2Psk, -87, "98:1e:19:a4:94:92", 1), ap);
        Assert.Equal("WPA2_PSK", ap!.SecurityName);
    }

    [Fact]
    public void Cwlap_ssid_with_escaped_comma_and_quote()
    {
        var ap = ScanLine.Parse("+CWLAP:(0,\"cafe\\, \\\"free\\\"\",-50,\"aa:bb:cc:dd:ee:ff\",11)");
        Assert.Equal("cafe, \"free\"", ap!.Ssid);
        Assert.Equal(Security.Open, ap.Security);
    }

    [Fact]
    public void Quote_escapes_what_the_firmware_wants_escaped()
    {
        Assert.Equal("\"a\\,b\\\"c\\\\d\"", AtText.Quote("a,b\"c\\d"));
    }

    [Fact]
    public void Gmr_of_both_dialects_picks_the_dialect()
    {
        var v17 = FirmwareInfo.Parse(["AT version:1.7.4.0(May 11 2020 19:13:04)", "SDK version:3.0.4(9532ceb)", "compile time:May 27 2020 10:12:17", "Bin version(Wroom 02):1.7.4"]);
        Assert.Equal(1, v17.Major);
        Assert.Equal("1.7.4.0", v17.Version);
        Assert.Equal("1.7.4", v17.BinVersion);
        Assert.IsType<NonOsDialect>(Dialect.For(v17));

        var v21 = FirmwareInfo.Parse(["AT version:2.1.0.0(ded5b14 - Jul 24 2020 12:01:05)", "SDK version:v3.3-2-gb6e861a", "compile time(36bb200):Jul 28 2020 08:30:34", "Bin version:2.1.0(WROOM-02)"]);
        Assert.Equal(2, v21.Major);
        Assert.Equal("Jul 28 2020 08:30:34", v21.CompileTime);
        Assert.IsType<EspAtDialect>(Dialect.For(v21));
    }

    [Fact]
    public void Dialects_differ_where_the_reference_says()
    {
        IFirmwareDialect v1 = NonOsDialect.Instance, v2 = EspAtDialect.Instance;
        string Dhcp(IFirmwareDialect d, bool on, bool persist)
            => (persist ? CommandCatalogue.DhcpSet.Plain(d.StationDhcpArguments(on)) : CommandCatalogue.DhcpSet.For(d, d.StationDhcpArguments(on))).Text;
        Assert.Equal("AT+CWDHCP=1,1", Dhcp(v1, true, persist: true));
        Assert.Equal("AT+CWDHCP=1,1", Dhcp(v2, true, persist: true));
        Assert.Equal("AT+CWDHCP_CUR=1,0", Dhcp(v1, false, persist: false));
        Assert.Equal("AT+CWDHCP=0,1", Dhcp(v2, false, persist: false)); // 0,1 means "disable station" only on 2.x
        Assert.True(v1.StationDhcpEnabled(0b10));
        Assert.False(v1.StationDhcpEnabled(0b01));
        Assert.True(v2.StationDhcpEnabled(0b01));
        Assert.Equal("AT+CWJAP_CUR=\"iptime\",\"admin\"", CommandCatalogue.Join.For(v1, "\"iptime\"", "\"admin\"").Text);
        Assert.Equal("AT+CWJAP=\"iptime\",\"admin\"", CommandCatalogue.Join.For(v2, "\"iptime\"", "\"admin\"").Text);
        Assert.Equal(("AT+CWMODE_CUR?", "+CWMODE_CUR:"), (CommandCatalogue.ModeQuery.For(v1).Text, CommandCatalogue.ModeQuery.For(v1).ReplyLine));
        Assert.Equal(("AT+CWMODE?", "+CWMODE:"), (CommandCatalogue.ModeQuery.For(v2).Text, CommandCatalogue.ModeQuery.For(v2).ReplyLine));
        Assert.True(v1.TryParsePing("+38", out var ms1) && ms1 == 38);
        Assert.True(v1.TryParsePing("+timeout", out var t1) && t1 is null);
        Assert.True(v2.TryParsePing("+PING:38", out var ms2) && ms2 == 38);
        Assert.True(v2.TryParsePing("+PING:TIMEOUT", out var t2) && t2 is null);
        Assert.False(v2.TryParsePing("+38", out _));
    }

    [Fact]
    public void Catalogue_covers_every_code_of_the_seeds_tables_and_the_reference()
    {
        foreach (var code in new[] { 1, 2, 3, 4 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.JoinError, code));
        foreach (var code in new[] { 0, 1, 2, 3, 4, 5 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.SeedJoinTable, code));
        foreach (var code in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 255 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.WifiStatus, code));
        foreach (var code in new[] { 0, 1, 2, 3 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.WifiMode, code));
        foreach (var code in Enumerable.Range(0, 8)) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.Security, code));
        foreach (var code in new[] { 2, 4, 5, 7, 8 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.ArduinoEncryption, code));
        foreach (var code in new[] { 2, 3, 4, 5 }) Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.ConnectionStatus, code));
        foreach (var line in new[] { "ERROR", "FAIL", "SEND FAIL", "busy p...", "busy s...", "ALREADY CONNECTED", "DNS Fail", "No AP" })
            Assert.NotNull(ErrorCatalogue.Find(CatalogueTable.ReplyLine, line));
        Assert.All(ErrorCatalogue.All, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Meaning));
            Assert.False(string.IsNullOrWhiteSpace(e.NextStep));
        });
        Assert.Equal("WL_DISCONNECTED", ErrorCatalogue.Find(CatalogueTable.WifiStatus, 7)!.Name);
    }

    [Fact]
    public void Decoded_line_under_cwjap_1_names_the_dhcp_fix_after_wifi_connected()
    {
        var plain = ErrorCatalogue.Decode("+CWJAP:1");
        Assert.Contains("timed out", plain, StringComparison.Ordinal);
        var seedCase = ErrorCatalogue.Decode("+CWJAP:1", afterWifiConnected: true);
        Assert.Contains("DHCP", seedCase, StringComparison.Ordinal);
        Assert.Contains("AT+CWDHCP=1,1", seedCase, StringComparison.Ordinal);
        Assert.Contains("does not support", ErrorCatalogue.Decode("ERR CODE:0x01090000"), StringComparison.Ordinal);
        Assert.Null(ErrorCatalogue.Decode("OK"));
        Assert.Null(ErrorCatalogue.Decode("+CIFSR:STAIP,\"192.168.0.138\""));
    }
}

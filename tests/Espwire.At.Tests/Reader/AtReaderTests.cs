using Espwire.At.Reader;
using static Espwire.At.Tests.Reader.Captures;

namespace Espwire.At.Tests.Reader;

public class AtReaderTests
{
    [Fact]
    public void Echo_with_cr_cr_lf_then_blank_then_ok_as_1x_sends_it()
    {
        Assert.Equal(["echo:AT", "final:Ok"], FeedAllWays("AT\r\r\n\r\nOK\r\n", echo: "AT"));
    }

    [Fact]
    public void Gmr_1x_info_lines_without_blank_line_before_ok()
    {
        const string capture = "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\n" +
                               "compile time:May 27 2020 10:12:17\r\nBin version(Wroom 02):1.7.4\r\nOK\r\n";
        Assert.Equal(
            ["echo:AT+GMR", "info:AT version:1.7.4.0(May 11 2020 19:13:04)", "info:SDK version:3.0.4(9532ceb)",
             "info:compile time:May 27 2020 10:12:17", "info:Bin version(Wroom 02):1.7.4", "final:Ok"],
            FeedAllWays(capture, echo: "AT+GMR"));
    }

    [Fact]
    public void Echo_off_reply_that_starts_like_the_command_is_an_info_line()
    {
        // ATE0 is on, the host still told the reader its command: "AT version" shares "AT" with "AT+GMR".
        Assert.Equal(["info:AT version:2.2.0.0(s-b097cdf - ESP8266 - Jun 17 2021 12:57:45)", "final:Ok"],
            FeedAllWays("AT version:2.2.0.0(s-b097cdf - ESP8266 - Jun 17 2021 12:57:45)\r\n\r\nOK\r\n", echo: "AT+GMR"));
    }

    [Fact]
    public void Echo_off_ok_alone_ends_echo_expectation()
    {
        Assert.Equal(["final:Ok"], FeedAllWays("\r\nOK\r\n", echo: "AT"));
    }

    [Fact]
    public void Unsolicited_line_inside_an_echo_is_reported_and_the_echo_still_recognised()
    {
        // The reference's capture: "1,CONNECT" lands inside the echo of AT+CIPSEND=0,98.
        Assert.Equal(["unsolicited:LinkConnected:1", "echo:AT+CIPSEND=0,98", "final:Ok", "prompt"],
            FeedAllWays("AT+CIPSEND=0,1,CONNECT\r\n98\r\r\n\r\nOK\r\n> ", echo: "AT+CIPSEND=0,98"));
    }

    [Fact]
    public void Unsolicited_line_before_the_echo_keeps_the_echo_expected()
    {
        Assert.Equal(["unsolicited:WifiDisconnect:-", "echo:AT+CWQAP", "final:Ok"],
            FeedAllWays("WIFI DISCONNECT\r\nAT+CWQAP\r\r\n\r\nOK\r\n", echo: "AT+CWQAP"));
    }

    [Fact]
    public void The_seeds_dhcp_failure_capture()
    {
        const string capture = "AT+CWJAP=\"myssid\",\"mypassword\"\r\r\nWIFI CONNECTED\r\n+CWJAP:1\r\n\r\nFAIL\r\nWIFI DISCONNECT\r\n";
        Assert.Equal(
            ["echo:AT+CWJAP=\"myssid\",\"mypassword\"", "unsolicited:WifiConnected:-", "info:+CWJAP:1", "final:Fail", "unsolicited:WifiDisconnect:-"],
            FeedAllWays(capture, echo: "AT+CWJAP=\"myssid\",\"mypassword\""));
    }

    [Fact]
    public void Join_success_2x()
    {
        Assert.Equal(["unsolicited:WifiConnected:-", "unsolicited:WifiGotIp:-", "final:Ok"],
            FeedAllWays("WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void Join_failure_2x_prints_error_with_err_code()
    {
        Assert.Equal(["info:+CWJAP:2", "final:Error"], FeedAllWays("+CWJAP:2\r\n\r\nERROR\r\n"));
    }

    [Fact]
    public void All_final_results()
    {
        Assert.Equal(["final:Ok", "final:Error", "final:Fail", "final:SendOk", "final:SendFail"],
            FeedAllWays("OK\r\nERROR\r\nFAIL\r\nSEND OK\r\nSEND FAIL\r\n"));
    }

    [Fact]
    public void Cipsend_1x_prompt_with_space_then_recv_and_send_ok()
    {
        Assert.Equal(["final:Ok", "prompt", "info:Recv 5 bytes", "final:SendOk"],
            FeedAllWays("\r\nOK\r\n> \r\nRecv 5 bytes\r\n\r\nSEND OK\r\n"));
    }

    [Fact]
    public void Cipsend_2x_prompt_without_space()
    {
        Assert.Equal(["final:Ok", "prompt", "info:Recv 3 bytes", "final:SendOk"],
            FeedAllWays("\r\nOK\r\n\r\n>\r\nRecv 3 bytes\r\n\r\nSEND OK\r\n"));
    }

    [Fact]
    public void Ipd_binary_payload_with_cr_lf_and_text_lookalikes_inside()
    {
        var payload = "A\r\nOK\r\n+IPD,1:\0\xff";
        var events = FeedAllWays($"\r\n+IPD,0,{payload.Length}:{payload}\r\nOK\r\n");
        Assert.Equal([$"ipd:0:{Hex(payload)}", "final:Ok"], events);
    }

    [Fact]
    public void Ipd_single_connection_and_with_remote_info()
    {
        Assert.Equal(["ipd:-:6869", "ipd:2:414243:127.0.0.1:5000"],
            FeedAllWays("+IPD,2:hi\r\n+IPD,2,3,127.0.0.1,5000:ABC\r\n"));
    }

    [Fact]
    public void Passive_notice_and_cipsend_in_one_reply()
    {
        Assert.Equal(["notice:0:1460", "notice:-:12"], FeedAllWays("+IPD,0,1460\r\n+IPD,12\r\n"));
    }

    [Fact]
    public void Ciprecvdata_1x_format_is_length_counted()
    {
        Assert.Equal(["data:" + Hex("ab\r\ncd"), "final:Ok"], FeedAllWays("+CIPRECVDATA,6:ab\r\ncd\r\nOK\r\n"));
    }

    [Fact]
    public void Ciprecvdata_2x_format_is_length_counted()
    {
        Assert.Equal(["data:" + Hex("x,y\r\n"), "final:Ok"], FeedAllWays("+CIPRECVDATA:5,x,y\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void Ciprecvdata_of_zero_bytes()
    {
        Assert.Equal(["data:", "final:Ok"], FeedAllWays("+CIPRECVDATA:0,\r\nOK\r\n"));
    }

    [Fact]
    public void Unsolicited_ipd_inside_a_reply_goes_out_and_the_reply_continues()
    {
        Assert.Equal(["info:+CIFSR:STAIP,\"192.168.0.138\"", "ipd:1:3132", "info:+CIFSR:STAMAC,\"5c:cf:7f:01:02:03\"", "final:Ok"],
            FeedAllWays("+CIFSR:STAIP,\"192.168.0.138\"\r\n+IPD,1,2:12\r\n+CIFSR:STAMAC,\"5c:cf:7f:01:02:03\"\r\n\r\nOK\r\n"));
    }

    [Fact]
    public void Link_notices_with_and_without_id()
    {
        Assert.Equal(
            ["unsolicited:LinkConnected:0", "unsolicited:LinkClosed:0", "unsolicited:LinkConnected:-", "unsolicited:LinkClosed:-", "unsolicited:LinkConnectFailed:3"],
            FeedAllWays("0,CONNECT\r\n0,CLOSED\r\nCONNECT\r\nCLOSED\r\n3,CONNECT FAIL\r\n"));
    }

    [Fact]
    public void Soft_ap_station_notices()
    {
        Assert.Equal(["unsolicited:StationJoined:-", "unsolicited:StationGotIp:-", "unsolicited:StationLeft:-"],
            FeedAllWays("+STA_CONNECTED:\"a0:b1:c2:d3:e4:f5\"\r\n+DIST_STA_IP:\"a0:b1:c2:d3:e4:f5\",\"192.168.4.2\"\r\n+STA_DISCONNECTED:\"a0:b1:c2:d3:e4:f5\"\r\n"));
    }

    [Fact]
    public void Busy_p_and_busy_s()
    {
        Assert.Equal(["busy:busy p...", "busy:busy s..."], FeedAllWays("busy p...\r\nbusy s...\r\n"));
    }

    [Fact]
    public void Reset_mid_command_rom_noise_then_ready()
    {
        // AT+RST: OK, then the ROM's 74880-baud boot text (noise at 115200) running into "ready".
        var noise = new byte[] { 0x00, 0x8a, 0xfe, 0x12, 0x72, 0x6c, 0x00, 0x9c, 0xe2, 0x0c };
        var capture = Bytes("AT+RST\r\r\n\r\nOK\r\n").Concat(noise).Concat(Bytes("\r\n")).Concat(noise).Concat(Bytes("ready\r\n")).ToArray();
        Assert.Equal(["echo:AT+RST", "final:Ok", "garbage:10", "garbage:10", "unsolicited:Ready:-"], FeedAllWays(capture, echo: "AT+RST"));
    }

    [Fact]
    public void Garbage_lines_are_counted_and_good_lines_after_them_survive()
    {
        var capture = new byte[] { 0xff, 0xfe, 0x01, (byte)'\r', (byte)'\n' }.Concat(Bytes("OK\r\n")).ToArray();
        var reader = new AtReader();
        var events = reader.Feed(capture).Select(Render).ToList();
        Assert.Equal(["garbage:3", "final:Ok"], events);
        Assert.Equal(3, reader.GarbageBytes);
    }

    [Fact]
    public void Over_long_line_is_dropped_and_the_next_line_is_read()
    {
        var reader = new AtReader(new AtReaderLimits { MaxLineLength = 16 });
        var events = reader.Feed(Bytes(new string('x', 100) + "\r\nOK\r\n")).Select(Render).ToList();
        Assert.Equal(["garbage:16", "final:Ok"], events);
        Assert.Equal(100, reader.GarbageBytes);
    }

    [Fact]
    public void Absurd_ipd_length_does_not_swallow_the_following_replies()
    {
        var reader = new AtReader(new AtReaderLimits { MaxPayload = 4096 });
        var events = reader.Feed(Bytes("+IPD,0,999999:junk\r\nOK\r\n")).Select(Render).ToList();
        Assert.Equal("final:Ok", events[^1]);
        Assert.DoesNotContain(events, e => e.StartsWith("ipd", StringComparison.Ordinal));
    }

    [Fact]
    public void Partial_payload_waits_for_the_rest()
    {
        var reader = new AtReader();
        Assert.Empty(reader.Feed(Bytes("+IPD,0,4:ab")));
        Assert.True(reader.InPayload);
        Assert.Equal(["ipd:0:61626364", "final:Ok"], reader.Feed(Bytes("cd\r\nOK\r\n")).Select(Render).ToList());
    }

    [Fact]
    public void Ipd_inside_an_echo_then_the_echo_continues()
    {
        Assert.Equal(["ipd:0:7A7A", "echo:AT+CIPSTATUS", "final:Ok"],
            FeedAllWays("AT+CIP+IPD,0,2:zzSTATUS\r\r\n\r\nOK\r\n", echo: "AT+CIPSTATUS"));
    }

    [Fact]
    public void Line_classifier_table_rows()
    {
        Assert.IsType<InfoLine>(LineClassifier.Classify("+CWMODE:1"));
        Assert.IsType<InfoLine>(LineClassifier.Classify("No AP"));
        Assert.Equal(new UnsolicitedLine(Unsolicited.Ready, "ready", null), LineClassifier.Classify("ready"));
        Assert.Equal(new IpdNotice(4, 10), LineClassifier.Classify("+IPD,4,10"));
        Assert.IsType<InfoLine>(LineClassifier.Classify("+IPD,x"));
    }
}

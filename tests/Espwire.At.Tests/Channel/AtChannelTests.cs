using System.Text;
using Espwire.At.Commands;
using Espwire.At.Dialects;
using Espwire.At.Reader;
using Espwire.Testing;

namespace Espwire.At.Tests.Channel;

public class AtChannelTests
{
    private static readonly TimeSpan Generous = TestTimeouts.Seconds(30);

    [Fact]
    public async Task Sends_exact_bytes_and_collects_info_lines_until_ok()
    {
        await using var link = new ScriptedLink(line => line == "AT+GMR"
            ? "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\nOK\r\n"
            : null);
        await using var channel = new AtChannel(link);
        var r = await channel.RunAsync(CommandCatalogue.Version.Plain() with { Timeout = Generous });
        Assert.Equal(ResultCode.Ok, r.Result);
        Assert.Equal(["AT version:1.7.4.0(May 11 2020 19:13:04)", "SDK version:3.0.4(9532ceb)"], r.Lines);
        Assert.Equal("AT+GMR\r\n", Encoding.ASCII.GetString(link.SentBytes));
    }

    [Fact]
    public async Task Subscribers_see_every_line_of_a_reply_before_its_command_completes()
    {
        // espwire at prints replies from a subscription and the next command once SendAsync returns: if the command
        // completed first, a reply's last lines could print under the next command.
        await using var link = new ScriptedLink(line => line == "AT+GMR"
            ? "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\nOK\r\n"
            : null);
        await using var channel = new AtChannel(link);
        var sent = new TaskCompletionSource<Task<AtResponse>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var completedWhileSubscriberHeldTheOk = false;
        using var subscription = channel.Subscribe(e =>
        {
            if (e is not FinalLine) return;
            // Hold the OK for a while: the command must not be able to complete until its subscribers have seen it.
            completedWhileSubscriberHeldTheOk = sent.Task.Result.Wait(TimeSpan.FromSeconds(1));
        });
        var send = channel.RunAsync(CommandCatalogue.Version.Plain() with { Timeout = Generous });
        sent.SetResult(send);
        var response = await send.WaitAsync(Generous);
        Assert.Equal(ResultCode.Ok, response.Result);
        Assert.False(completedWhileSubscriberHeldTheOk);
    }

    [Fact]
    public async Task A_typed_cipsend_completes_at_its_prompt_even_when_the_prompt_comes_after_the_ok_in_a_later_read()
    {
        // espwire at prints "the module waits for the data bytes" from its subscription: ending at the OK lost the
        // prompt whenever it arrived in a read of its own (seen under load).
        await using var link = new ScriptedLink(line => line == "AT+CIPSEND=4" ? "AT+CIPSEND=4\r\r\n\r\nOK\r\n" : null);
        await using var channel = new AtChannel(link);
        var okSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var events = new List<AtEvent>();
        using var subscription = channel.Subscribe(e =>
        {
            lock (events) events.Add(e);
            if (e is FinalLine { Code: ResultCode.Ok }) okSeen.TrySetResult();
        });
        var send = channel.RunAsync(CommandCatalogue.Typed("AT+CIPSEND=4") with { Timeout = Generous });
        await okSeen.Task.WaitAsync(Generous);
        await link.SendAsync("> ");
        var response = await send.WaitAsync(Generous);
        Assert.Equal(ResultCode.Ok, response.Result);
        lock (events) Assert.IsType<PromptEvent>(events[^1]);
        Assert.Equal("AT+CIPSEND=4\r\n", Encoding.ASCII.GetString(link.SentBytes)); // nothing after the prompt
    }

    [Fact]
    public async Task Busy_p_waits_for_the_earlier_command_to_end_and_sends_again()
    {
        var attempts = 0;
        await using var link = new ScriptedLink(line =>
        {
            if (line != "AT+CWMODE?") return null;
            // First time: still busy with an earlier join, whose FAIL then arrives; second time: the answer.
            return ++attempts == 1 ? "busy p...\r\n+CWJAP:3\r\n\r\nFAIL\r\n" : "+CWMODE:1\r\n\r\nOK\r\n";
        });
        await using var channel = new AtChannel(link, new AtChannelOptions { BusyBackoff = Generous });
        var r = await channel.RunAsync(CommandCatalogue.ModeQuery.Plain() with { Timeout = Generous });
        Assert.Equal(ResultCode.Ok, r.Result);
        Assert.Equal(["+CWMODE:1"], r.Lines);
        Assert.Equal(2, attempts);
        Assert.Equal(["AT+CWMODE?", "AT+CWMODE?"], link.Lines);
    }

    [Fact]
    public async Task Module_reset_mid_command_is_reported_and_echo_is_on_again()
    {
        await using var link = new ScriptedLink(line => line switch
        {
            "ATE0" => "ATE0\r\r\n\r\nOK\r\n",
            "AT+CWLAP" => "\x00\xfe\x8a noise \x01\r\n\x00\xffready\r\n",
            _ => null,
        });
        await using var channel = new AtChannel(link);
        Assert.True((await channel.RunAsync(CommandCatalogue.EchoOff.Plain() with { Timeout = Generous })).IsOk);
        channel.EchoOn = false;
        await Assert.ThrowsAsync<ModuleResetException>(() => channel.RunAsync(CommandCatalogue.Scan.Plain() with { Timeout = Generous }));
        Assert.True(channel.ResetSeen);
        Assert.True(channel.EchoOn);
        Assert.True(channel.GarbageBytes > 0);
    }

    [Fact]
    public async Task Silence_times_out_with_a_wiring_hint()
    {
        await using var link = new ScriptedLink(_ => null);
        await using var channel = new AtChannel(link);
        var e = await Assert.ThrowsAsync<AtTimeoutException>(() => channel.RunAsync(CommandCatalogue.Attention.Plain() with { Timeout = TestTimeouts.Milliseconds(200) }));
        Assert.Contains("115200", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsolicited_lines_reach_subscribers_between_commands()
    {
        await using var link = new ScriptedLink(_ => null);
        await using var channel = new AtChannel(link);
        var got = new TaskCompletionSource<UnsolicitedLine>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var _ = channel.Subscribe(e => { if (e is UnsolicitedLine { Kind: Unsolicited.LinkClosed } u) got.TrySetResult(u); });
        await link.SendAsync("WIFI GOT IP\r\n2,CLOSED\r\n");
        var line = await got.Task.WaitAsync(Generous);
        Assert.Equal(2, line.LinkId);
    }

    [Fact]
    public async Task Cipsend_waits_for_the_prompt_then_sends_the_payload_and_ends_at_send_ok()
    {
        ScriptedLink? link = null;
        link = new ScriptedLink(line =>
        {
            if (line != "AT+CIPSEND=0,7") return null;
            link!.ExpectRaw(7, p => $"\r\nRecv {p.Length} bytes\r\n\r\nSEND OK\r\n");
            return "\r\nOK\r\n> ";
        });
        await using (link)
        {
            await using var channel = new AtChannel(link);
            var payload = "581\r\nA\0"u8.ToArray();
            var r = await channel.RunAsync(CommandCatalogue.Send.Plain(0, 7).WithPayload(payload, 115200));
            Assert.Equal(ResultCode.SendOk, r.Result);
            Assert.Equal(payload, Assert.Single(link.Payloads));
            Assert.Equal(Encoding.Latin1.GetBytes("AT+CIPSEND=0,7\r\n").Concat(payload).ToArray(), link.SentBytes);
        }
    }

    [Fact]
    public async Task Error_is_a_result_with_the_2x_error_code()
    {
        await using var link = new ScriptedLink(_ => "ERR CODE:0x01090000\r\n\r\nERROR\r\n");
        await using var channel = new AtChannel(link);
        var r = await channel.RunAsync(CommandCatalogue.Typed("AT+CWMODE_CUR?") with { Timeout = Generous });
        Assert.Equal(ResultCode.Error, r.Result);
        Assert.Equal(0x01090000u, r.ErrorCode);
        Assert.Contains("does not support", Errors.FailureExplainer.Explain(r).Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_late_ok_of_a_timed_out_command_does_not_end_the_next_query()
    {
        await using var link = new ScriptedLink(line => line switch
        {
            // The join outlives the host's patience; its OK lands just before the mode query's own reply.
            "AT+CWMODE_CUR?" => "WIFI CONNECTED\r\nWIFI GOT IP\r\n\r\nOK\r\n+CWMODE_CUR:1\r\n\r\nOK\r\n",
            _ => null,
        });
        await using var channel = new AtChannel(link);
        await Assert.ThrowsAsync<AtTimeoutException>(() => channel.RunAsync(CommandCatalogue.Join.For(NonOsDialect.Instance, "\"iptime\"", "\"admin\"") with { Timeout = TestTimeouts.Milliseconds(200) }));
        var r = await channel.RunAsync(CommandCatalogue.ModeQuery.For(NonOsDialect.Instance) with { Timeout = Generous });
        Assert.Equal(ResultCode.Ok, r.Result);
        Assert.Equal(["+CWMODE_CUR:1"], r.Lines);
        Assert.True(channel.StrayLines >= 1);
    }

    [Fact]
    public async Task Noise_inside_a_reply_is_dropped_and_the_next_command_gets_its_own_reply()
    {
        // Line noise (a loose ground, a baud glitch) in the middle of AT+GMR's reply, then an ordinary AT.
        await using var link = new ScriptedLink(line => line switch
        {
            "AT+GMR" => "AT+GMR\r\r\nAT version:1.7.4.0(May 11 2020 19:13:04)\r\n\u00ff\u00fe\u0000\u0080\u00f0\r\nSDK version:3.0.4(9532ceb)\r\n\r\nOK\r\n",
            "AT" => "AT\r\r\n\r\nOK\r\n",
            _ => null,
        });
        await using var channel = new AtChannel(link);
        var gmr = await channel.RunAsync(CommandCatalogue.Version.Plain() with { Timeout = Generous });
        Assert.Equal(ResultCode.Ok, gmr.Result);
        Assert.Equal(["AT version:1.7.4.0(May 11 2020 19:13:04)", "SDK version:3.0.4(9532ceb)"], gmr.Lines);
        Assert.True(channel.GarbageBytes >= 5);
        var at = await channel.RunAsync(CommandCatalogue.Attention.Plain() with { Timeout = Generous });
        Assert.Equal(ResultCode.Ok, at.Result);
        Assert.Empty(at.Lines);
        Assert.Equal("AT+GMR\r\nAT\r\n", Encoding.ASCII.GetString(link.SentBytes));
    }

    [Fact]
    public async Task Text_that_is_never_an_at_reply_is_named_as_not_at_firmware()
    {
        // A sketch prints its own lines and ignores AT.
        await using var link = new ScriptedLink(_ => "Connecting to 'iptime' [status : 6]\r\n");
        await using var channel = new AtChannel(link);
        var e = await Assert.ThrowsAsync<AtTimeoutException>(() => channel.RunAsync(CommandCatalogue.Version.Plain() with { Timeout = TestTimeouts.Milliseconds(300) }));
        Assert.True(e.NotAtFirmware);
        Assert.Contains("not running AT firmware", e.Message, StringComparison.Ordinal);
        Assert.Contains("espwire flash restore-at", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_firmware_still_busy_is_not_named_as_a_sketch()
    {
        // The echo and WIFI CONNECTED are AT firmware's own words: it is busy joining, not something else.
        await using var link = new ScriptedLink(line => line + "\r\r\nWIFI CONNECTED\r\n");
        await using var channel = new AtChannel(link);
        var e = await Assert.ThrowsAsync<AtTimeoutException>(() => channel.RunAsync(CommandCatalogue.Join.Plain("\"iptime\"", "\"admin\"") with { Timeout = TestTimeouts.Milliseconds(300) }));
        Assert.False(e.NotAtFirmware);
        Assert.Contains("may still be busy", e.Hint, StringComparison.Ordinal);
    }
}

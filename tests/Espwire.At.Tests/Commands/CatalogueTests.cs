using Espwire.At.Commands;
using Espwire.At.Reader;

namespace Espwire.At.Tests.Commands;

public class CatalogueTests
{
    [Theory]
    [InlineData("AT+CWJAP=\"iptime\",\"admin\"", "AT+CWJAP=", 25)]
    [InlineData("at+cwjap_cur=\"iptime\",\"admin\"", "AT+CWJAP=", 25)]
    [InlineData("AT+CWJAP_DEF?", "AT+CWJAP?", 5)]
    [InlineData("AT+CWLAP", "AT+CWLAP", 15)]
    [InlineData("AT+CWLAPOPT=1,31", "", 5)]
    [InlineData("AT+CIPSTART=0,\"TCP\",\"192.168.0.40\",12345", "AT+CIPSTART=", 20)]
    [InlineData("AT+PING=\"www.google.com\"", "AT+PING=", 10)]
    [InlineData("AT+RESTORE", "AT+RESTORE", 10)]
    [InlineData("AT+GMR", "AT+GMR", 5)]
    [InlineData("AT+XYZ", "", 5)]
    public void A_typed_command_takes_its_specs_timeout(string typed, string spec, int seconds)
    {
        var exchange = CommandCatalogue.Typed(typed);
        Assert.Equal(spec, exchange.Spec.Name);
        Assert.Equal(typed, exchange.Text); // sent exactly as typed
        Assert.Equal(TimeSpan.FromSeconds(seconds), exchange.Timeout);
    }

    [Fact]
    public void Only_the_restart_commands_expect_ready()
    {
        Assert.Equal(["AT+RST", "AT+RESTORE"], CommandCatalogue.All.Where(s => s.Restarts).Select(s => s.Name));
        Assert.True(CommandCatalogue.Typed("at+rst").Spec.Restarts);
    }

    [Fact]
    public void A_typed_cipsend_ends_at_its_prompt_and_a_declared_one_at_send_ok()
    {
        var typed = CommandCatalogue.Typed("AT+CIPSEND=0,5");
        Assert.True(typed.Spec.EndsAtPrompt);
        Assert.DoesNotContain(ResultCode.Ok, typed.Spec.Success); // the OK before the prompt is a step
        Assert.False(typed.Spec.TakesPayload);
        Assert.False(CommandCatalogue.Send.EndsAtPrompt);
        Assert.Equal([ResultCode.SendOk], CommandCatalogue.Send.Success);
        Assert.Equal("AT+CIPSEND=0,5", CommandCatalogue.Send.Plain(0, 5).Text);
    }
}

using Espwire.Testing;

namespace Espwire.At.Tests.Channel;

/// <summary>Starting a module (AT, ATE0, AT+GMR) when the first AT reaches it damaged.</summary>
public class AtModuleStartTests
{
    [Fact]
    public async Task An_ERROR_to_the_first_AT_is_not_the_hello_the_AT_goes_again_and_every_reply_stays_with_its_command()
    {
        // The first bare AT arrives with a byte lost (a boot, noise on the line) and is answered ERROR. Were that
        // taken as the hello, a module answering late would put ATE0 one reply behind; here each command's reply is
        // its own, so what matters is that AT goes again and the start ends with the right firmware.
        var ats = 0;
        await using var link = new ScriptedLink(line => line switch
        {
            "AT" => ++ats == 1 ? "AT\r\r\n\r\nERROR\r\n" : "AT\r\r\n\r\nOK\r\n",
            "ATE0" => "ATE0\r\r\n\r\nOK\r\n",
            "AT+GMR" => "AT version:1.7.4.0(May 11 2020 19:13:04)\r\nSDK version:3.0.4(9532ceb)\r\ncompile time:May 11 2020 19:13:04\r\nOK\r\n",
            _ => null,
        });
        await using var module = await AtModule.StartAsync(link, cancellationToken: TestTimeouts.Ceiling());
        Assert.Equal(["AT", "AT", "ATE0", "AT+GMR"], link.Lines);
        Assert.Equal("1.7.4.0", module.Firmware!.Version);
    }
}

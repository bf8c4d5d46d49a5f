using System.Text;
using Espwire.Ota;

namespace Espwire.Ota.Tests;

public class EspotaLinesTests
{
    // Vectors computed outside this code (Python hashlib): md5("hello"), md5("admin"), and the exchange below.
    private const string HelloMd5 = "5d41402abc4b2a76b9719d911017c592";
    private const string AdminMd5 = "21232f297a57a5a743894a0e4a801fc3";

    /// <summary>0xE9 then bytes 0..255 four times: 1025 bytes.</summary>
    internal static byte[] VectorImage()
    {
        var image = new byte[1025];
        image[0] = 0xE9;
        for (var i = 1; i < image.Length; i++) image[i] = (byte)((i - 1) & 0xFF);
        return image;
    }

    internal const string VectorImageMd5 = "37beba964637e82bf8fcf2d9420182d5";
    internal const string VectorNonce = "0123456789abcdef0123456789abcdef";
    internal const string VectorClientNonce = "cfa92b469c9ddca57b0f6318a1628088"; // md5("firmware.bin" "1025" md5 "127.0.0.1")
    internal const string VectorResponse = "d93df50eeb15dba5e8655cd76b9744e1"; // md5(md5("admin") ":" nonce ":" cnonce)

    [Fact]
    public void Md5_is_lowercase_hex()
    {
        Assert.Equal(HelloMd5, EspotaLines.Md5Hex("hello"));
        Assert.Equal(AdminMd5, EspotaLines.Md5Hex("admin"));
        Assert.Equal(VectorImageMd5, EspotaLines.Md5Hex(VectorImage()));
    }

    [Fact]
    public void Invitation_is_command_port_size_md5_newline()
    {
        var line = EspotaLines.Invitation(OtaImageKind.Flash, 40000, 307200, HelloMd5);
        Assert.Equal("0 40000 307200 5d41402abc4b2a76b9719d911017c592\n"u8.ToArray(), Encoding.ASCII.GetBytes(line));
        Assert.Equal("100 40001 4096 5d41402abc4b2a76b9719d911017c592\n", EspotaLines.Invitation(OtaImageKind.Filesystem, 40001, 4096, HelloMd5));
    }

    [Fact]
    public void Auth_answer_matches_the_independent_vector()
    {
        var cnonce = EspotaLines.ClientNonce("firmware.bin", 1025, VectorImageMd5, "127.0.0.1");
        Assert.Equal(VectorClientNonce, cnonce);
        var response = EspotaLines.ChallengeResponse(AdminMd5, VectorNonce, cnonce);
        Assert.Equal(VectorResponse, response);
        Assert.Equal("200 cfa92b469c9ddca57b0f6318a1628088 d93df50eeb15dba5e8655cd76b9744e1\n"u8.ToArray(),
            Encoding.ASCII.GetBytes(EspotaLines.AuthAnswer(cnonce, response)));
    }

    [Theory]
    [InlineData("0 40000 307200 5d41402abc4b2a76b9719d911017c592\n", true)]
    [InlineData("100 40000 10 5d41402abc4b2a76b9719d911017c592", true)]
    [InlineData("1 40000 307200 5d41402abc4b2a76b9719d911017c592\n", false)]
    [InlineData("0 40000 307200 5d41402abc\n", false)]
    [InlineData("0 70000 307200 5d41402abc4b2a76b9719d911017c592\n", false)]
    [InlineData("garbage", false)]
    public void Device_reads_invitations_as_ArduinoOTA_does(string line, bool valid)
    {
        Assert.Equal(valid, EspotaLines.TryParseInvitation(line, out var invitation));
        if (valid) Assert.Equal(40000, invitation.HostPort);
    }
}

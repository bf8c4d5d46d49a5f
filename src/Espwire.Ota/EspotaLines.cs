using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Espwire.Ota;

/// <summary>
/// The espota wire lines, host and device side. The host invites with <c>CMD HOSTPORT SIZE MD5\n</c> over UDP;
/// a device with a password challenges <c>AUTH NONCE</c>; the host answers <c>200 CNONCE RESPONSE\n</c> where
/// RESPONSE is md5(md5(password) ":" NONCE ":" CNONCE), every digest as 32 lowercase hex digits.
/// </summary>
public static class EspotaLines
{
    /// <summary>The command number of the authentication answer (ArduinoOTA's U_AUTH).</summary>
    public const int AuthCommand = 200;

    /// <summary>The device's positive answer to an invitation or an authentication, and its last word after a good transfer.</summary>
    public const string Ok = "OK";

    /// <summary>What ArduinoOTA sends when the challenge response does not match.</summary>
    public const string AuthenticationFailed = "Authentication Failed";

    public static string Md5Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(MD5.HashData(data));

    public static string Md5Hex(string text) => Md5Hex(Encoding.UTF8.GetBytes(text));

    public static string Invitation(OtaImageKind kind, int hostPort, long size, string md5Hex)
        => string.Create(CultureInfo.InvariantCulture, $"{(int)kind} {hostPort} {size} {md5Hex}\n");

    /// <summary>espota's client nonce: md5 of the file name, the size, the image MD5 and the device address, run together.</summary>
    public static string ClientNonce(string imageName, long size, string md5Hex, string deviceAddress)
        => Md5Hex(string.Create(CultureInfo.InvariantCulture, $"{imageName}{size}{md5Hex}{deviceAddress}"));

    /// <summary>md5(PASSWORDMD5:NONCE:CNONCE); the device keeps only the password's MD5 (ArduinoOTA.setPassword).</summary>
    public static string ChallengeResponse(string passwordMd5Hex, string nonce, string clientNonce)
        => Md5Hex($"{passwordMd5Hex}:{nonce}:{clientNonce}");

    public static string AuthAnswer(string clientNonce, string response)
        => string.Create(CultureInfo.InvariantCulture, $"{AuthCommand} {clientNonce} {response}\n");

    /// <summary>Reads an invitation as ArduinoOTA does: three numbers, then a 32-character MD5 up to the newline.</summary>
    public static bool TryParseInvitation(string line, out OtaInvitation invitation)
    {
        invitation = default;
        var parts = line.TrimEnd('\n', '\r', '\0').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4) return false;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var command)) return false;
        if (command != (int)OtaImageKind.Flash && command != (int)OtaImageKind.Filesystem) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) return false;
        if (!long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size)) return false;
        if (parts[3].Length != 32) return false;
        invitation = new OtaInvitation((OtaImageKind)command, port, size, parts[3]);
        return true;
    }

    /// <summary>Reads <c>200 CNONCE RESPONSE</c>; both must be 32 characters, as ArduinoOTA requires.</summary>
    public static bool TryParseAuthAnswer(string line, out string clientNonce, out string response)
    {
        clientNonce = response = "";
        var parts = line.TrimEnd('\n', '\r', '\0').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || parts[0] != "200" || parts[1].Length != 32 || parts[2].Length != 32) return false;
        (clientNonce, response) = (parts[1], parts[2]);
        return true;
    }
}

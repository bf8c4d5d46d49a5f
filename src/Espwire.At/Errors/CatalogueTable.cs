using Espwire.Protocol.At;
namespace Espwire.At.Errors;

/// <summary>The tables of codes users meet on an ESP8266, each from the seed or the AT reference.</summary>
public enum CatalogueTable
{
    /// <summary><c>+CWJAP:&lt;n&gt;</c> after a failed join (AT firmware 1.x and 2.x).</summary>
    JoinError,
    /// <summary>The seed's own +CWJAP table (0..5). It disagrees with Espressif's; kept so users can look both up.</summary>
    SeedJoinTable,
    /// <summary>Arduino <c>WiFi.status()</c> (esp8266/Arduino wl_definitions.h), as the seed's sketch prints it.</summary>
    WifiStatus,
    /// <summary><c>AT+CWMODE</c> values.</summary>
    WifiMode,
    /// <summary><c>+CWLAP</c> ecn (security) values.</summary>
    Security,
    /// <summary>Arduino <c>WiFi.encryptionType()</c> values.</summary>
    ArduinoEncryption,
    /// <summary><c>STATUS:&lt;s&gt;</c> from AT+CIPSTATUS.</summary>
    ConnectionStatus,
    /// <summary>2.x <c>ERR CODE:0x01XX....</c> sub-codes (the XX byte).</summary>
    EspAtErrorCode,
    /// <summary>Whole reply lines that signal trouble: ERROR, FAIL, busy p..., DNS Fail, ...</summary>
    ReplyLine,
}

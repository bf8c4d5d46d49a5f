using Espwire.At.Errors;
using Espwire.At.Reader;

namespace Espwire.Cli.At;

/// <summary>
/// Prints what the module says, line by line as it arrives, with a decoded line under the ones that need it
/// (<c>+CWJAP:1</c>, <c>busy p...</c>, <c>ERR CODE:...</c>). Remembers WIFI CONNECTED for the seed's DHCP case.
/// </summary>
internal sealed class ReplyPrinter(TextWriter output, bool showEcho, bool explainFailures = false)
{
    private readonly object _sync = new();
    private bool _associatedRecently;

    public const string DecodedMarker = "  \u2192 ";

    public void Print(AtEvent e)
    {
        lock (_sync)
        {
            switch (e)
            {
                case EchoLine echo when showEcho:
                    output.WriteLine(echo.Text);
                    break;
                case InfoLine info:
                    output.WriteLine(info.Text);
                    Decode(info.Text);
                    break;
                case FinalLine final:
                    output.WriteLine(FinalText(final.Code));
                    if (explainFailures && final.Code is ResultCode.Error or ResultCode.SendFail
                        && ErrorCatalogue.Find(CatalogueTable.ReplyLine, FinalText(final.Code)) is { } entry)
                        output.WriteLine($"{DecodedMarker}{entry.Meaning} {entry.NextStep}");
                    _associatedRecently = false;
                    break;
                case BusyLine busy:
                    output.WriteLine(busy.Text);
                    Decode(busy.Text);
                    break;
                case PromptEvent:
                    output.WriteLine("> ");
                    output.WriteLine($"{DecodedMarker}the module waits for the data bytes (type them and press Enter).");
                    break;
                case UnsolicitedLine u:
                    output.WriteLine(u.Text);
                    if (u.Kind == Unsolicited.WifiConnected) _associatedRecently = true;
                    if (u.Kind == Unsolicited.Ready) output.WriteLine($"{DecodedMarker}the module restarted; echo is on again.");
                    break;
                case IpdData ipd:
                    output.WriteLine($"+IPD{(ipd.LinkId is { } id ? $",{id}" : "")},{ipd.Data.Length}:{Printable(ipd.Data)}");
                    break;
                case IpdNotice notice:
                    output.WriteLine($"+IPD{(notice.LinkId is { } nid ? $",{nid}" : "")},{notice.Length}");
                    output.WriteLine($"{DecodedMarker}{notice.Length} bytes wait in the module; read them with AT+CIPRECVDATA={notice.LinkId ?? 0},{notice.Length}.");
                    break;
                case ReceivedData data:
                    output.WriteLine($"+CIPRECVDATA:{data.Data.Length}:{Printable(data.Data)}");
                    break;
                case GarbageLine g:
                    output.WriteLine($"({g.Length} bytes of noise: boot text at 74880 baud, or a wrong baud rate)");
                    break;
            }
        }
    }

    private void Decode(string line)
    {
        if (ErrorCatalogue.Decode(line, _associatedRecently) is { } text)
            output.WriteLine(DecodedMarker + text);
    }

    public static string FinalText(ResultCode code) => code switch
    {
        ResultCode.Ok => "OK",
        ResultCode.Error => "ERROR",
        ResultCode.Fail => "FAIL",
        ResultCode.SendOk => "SEND OK",
        ResultCode.SendFail => "SEND FAIL",
        _ => code.ToString(),
    };

    /// <summary>Data shown as text, with non-printable bytes as \xNN.</summary>
    public static string Printable(byte[] data)
    {
        var sb = new System.Text.StringBuilder(data.Length);
        foreach (var b in data)
        {
            if (b == (byte)'\r') sb.Append("\\r");
            else if (b == (byte)'\n') sb.Append("\\n");
            else if (b is >= 0x20 and < 0x7f) sb.Append((char)b);
            else sb.Append($"\\x{b:x2}");
        }
        return sb.ToString();
    }
}

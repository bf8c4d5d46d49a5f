using Espwire.At.Commands;
using Espwire.At.Reader;

namespace Espwire.At.Errors;

/// <summary>Turns a failed reply into an explanation, using the lines the module printed before ERROR.</summary>
public static class FailureExplainer
{
    public static Explanation Explain(AtResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var line in response.Lines)
        {
            if (ErrorCatalogue.Find(CatalogueTable.ReplyLine, line) is { } entry) return entry.Explanation;
            foreach (var prefix in new[] { "+CWJAP:", "+CWJAP_CUR:", "+CWJAP_DEF:" })
                if (line.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(line.AsSpan(prefix.Length), out var code))
                    return ErrorCatalogue.ForJoinError(code, response.Saw(Unsolicited.WifiConnected));
        }
        if (response.Unsolicited.FirstOrDefault(u => u.Kind == Unsolicited.LinkConnectFailed) is not null)
            return new Explanation("The module could not open the connection.", "Check that something listens at that host and port, and that Wi-Fi is joined.");
        if (response.ErrorCode is { } err && ErrorCatalogue.ForEspAtCode(err) is { } e) return e;
        var final = response.Result switch
        {
            ResultCode.Fail => "FAIL",
            ResultCode.SendFail => "SEND FAIL",
            _ => "ERROR",
        };
        return ErrorCatalogue.Find(CatalogueTable.ReplyLine, final)!.Explanation;
    }
}

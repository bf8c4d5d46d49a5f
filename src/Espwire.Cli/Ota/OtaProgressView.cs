using System.Globalization;
using Espwire.Ota;
using Spectre.Console;

namespace Espwire.Cli.Ota;

/// <summary>A progress bar on a terminal; on a pipe, one line per stage and 25 % steps of the transfer.</summary>
internal sealed class OtaProgressView(TextWriter output)
{
    private readonly bool _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public async Task<T> RunAsync<T>(string description, Func<IProgress<OtaProgress>, Task<T>> work)
    {
        if (!_interactive)
        {
            var lastStage = (OtaStage)(-1);
            var lastQuarter = -1;
            return await work(new Reporter<OtaProgress>(p =>
            {
                if (p.Stage != lastStage && p.Stage != OtaStage.Uploading)
                {
                    lastStage = p.Stage;
                    output.WriteLine(StageText(p.Stage) + "...");
                }
                if (p.Stage != OtaStage.Uploading || p.TotalBytes <= 0) return;
                var quarter = (int)(p.BytesSent * 4 / p.TotalBytes);
                if (quarter == lastQuarter) return;
                lastQuarter = quarter;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Uploading... {p.BytesSent} of {p.TotalBytes} bytes ({quarter * 25} %)"));
            })).ConfigureAwait(false);
        }
        return await TransferBar.RunAsync(description, work, p => (p.BytesSent, p.TotalBytes, StageText(p.Stage))).ConfigureAwait(false);
    }

    private static string StageText(OtaStage stage) => stage switch
    {
        OtaStage.Inviting => "Sending invitation",
        OtaStage.Authenticating => "Authenticating",
        OtaStage.WaitingForDevice => "Waiting for device",
        OtaStage.Uploading => "Uploading",
        OtaStage.WaitingForResult => "Waiting for result",
        _ => "Done",
    };
}

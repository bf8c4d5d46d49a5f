using System.Globalization;
using Espwire.Flasher.Flashing;
using Spectre.Console;

namespace Espwire.Cli.Flash;

/// <summary>Prints esptool's lines and, on a terminal, a progress bar for long work.</summary>
internal sealed class FlashOutput(TextWriter output, bool quiet)
{
    private readonly bool _interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;

    public IProgress<string> Log => new Line(this);

    public void WriteLine(string line)
    {
        if (!quiet) output.WriteLine(line);
    }

    /// <summary>Runs <paramref name="work"/> with a progress bar (terminal) or plain percentage lines at 25 % steps (pipes, tests).</summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<IProgress<FlashProgress>, Task<T>> work)
    {
        if (quiet) return await work(new Progress<FlashProgress>(_ => { })).ConfigureAwait(false);
        if (!_interactive)
        {
            var lastQuarter = -1;
            return await work(new Reporter<FlashProgress>(p =>
            {
                if (p.Total <= 0) return;
                var quarter = (int)(p.Done * 4 / p.Total);
                if (quarter == lastQuarter || p.Phase == FlashPhase.Erasing) return;
                lastQuarter = quarter;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Phase} at 0x{p.Address + (uint)Math.Min(p.Done, uint.MaxValue):x8}... ({quarter * 25} %)"));
            })).ConfigureAwait(false);
        }
        return await TransferBar.RunAsync(description, work, p => (p.Done, p.Total, p.Phase.ToString())).ConfigureAwait(false);
    }

    /// <summary>
    /// A progress sink for one item, for work reported as events rather than run inside <see cref="WithProgressAsync{T}"/>:
    /// a bar redrawn in place on a terminal, 25 % steps elsewhere. Close it with <see cref="EndProgress"/>.
    /// </summary>
    public IProgress<FlashProgress> ProgressFor(string description)
    {
        if (quiet) return new Reporter<FlashProgress>(_ => { });
        var lastStep = -1;
        return new Reporter<FlashProgress>(p =>
        {
            if (p.Total <= 0 || p.Phase == FlashPhase.Erasing) return;
            if (_interactive)
            {
                var percent = (int)(p.Done * 100 / p.Total);
                if (percent == lastStep) return;
                lastStep = percent;
                var filled = percent * 30 / 100;
                output.Write(string.Create(CultureInfo.InvariantCulture, $"\r{p.Phase} {description} [{new string('#', filled)}{new string('.', 30 - filled)}] {percent,3} %"));
                return;
            }
            var quarter = (int)(p.Done * 4 / p.Total);
            if (quarter == lastStep) return;
            lastStep = quarter;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{p.Phase} at 0x{p.Address + (uint)Math.Min(p.Done, uint.MaxValue):x8}... ({quarter * 25} %)"));
        });
    }

    /// <summary>Ends a bar from <see cref="ProgressFor"/> so the next line starts on its own line.</summary>
    public void EndProgress(IProgress<FlashProgress> bar)
    {
        if (!quiet && _interactive) output.WriteLine();
    }

    private sealed class Line(FlashOutput owner) : IProgress<string>
    {
        public void Report(string value) => owner.WriteLine(value);
    }
}

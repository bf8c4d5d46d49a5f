using Spectre.Console;

namespace Espwire.Cli;

/// <summary>The progress bar of the verbs that move an image (flash, ota) on a terminal: description, bar, percentage,
/// speed and time left, fed from the library's own progress type.</summary>
internal static class TransferBar
{
    /// <param name="read">What a progress report says: bytes done, bytes in all, and the stage's words.</param>
    public static async Task<T> RunAsync<TProgress, T>(string description, Func<IProgress<TProgress>, Task<T>> work,
        Func<TProgress, (long Done, long Total, string Stage)> read)
    {
        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description));
                result = await work(new Reporter<TProgress>(p =>
                {
                    var (done, total, stage) = read(p);
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                    task.Description = Markup.Escape($"{stage} {description}");
                })).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return result;
    }
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; would post to a context).</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

using System.Threading.Channels;
using Espwire.At.Reader;

namespace Espwire.At.Commands;

/// <summary>
/// The reply being collected for the exchange in flight. The reader appends lines under the channel's lock and
/// posts each step that matters to the waiting command on one queue, so the command waits on exactly one thing.
/// </summary>
internal sealed class PendingExchange(Exchange exchange)
{
    private readonly Channel<ExchangeStep> _steps = System.Threading.Channels.Channel.CreateUnbounded<ExchangeStep>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public Exchange Exchange { get; } = exchange;
    public List<string> Lines { get; } = [];
    public List<UnsolicitedLine> Unsolicited { get; } = [];
    public byte[]? Data { get; set; }
    public bool HeardAnything { get; set; }

    /// <summary>After <c>busy p...</c>: what arrives up to the next final belongs to the earlier command.</summary>
    public bool BusySeen { get; set; }

    public bool Finished { get; private set; }

    public void Post(ExchangeStep step)
    {
        if (step.Kind is ExchangeStepKind.Final or ExchangeStepKind.Reset or ExchangeStepKind.Closed) Finished = true;
        _steps.Writer.TryWrite(step);
    }

    public ValueTask<ExchangeStep> NextAsync(CancellationToken cancellationToken) => _steps.Reader.ReadAsync(cancellationToken);
}

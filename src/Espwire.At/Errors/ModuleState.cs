using Espwire.At.Commands;

namespace Espwire.At.Errors;

/// <summary>The parts of the module's state a failed command may depend on; null where not asked.</summary>
internal sealed record ModuleState(bool? Joined, bool? LinkOpen, bool? Multiplexed)
{
    /// <summary>Asks the module what <paramref name="needs"/> depends on; null when it does not answer sensibly.</summary>
    public static async Task<ModuleState?> ProbeAsync(AtChannel channel, Requirement needs, CancellationToken cancellationToken)
    {
        try
        {
            if (needs == Requirement.Multiplexing)
            {
                var mux = await channel.RunAsync(new Exchange(CommandCatalogue.Other, "AT+CIPMUX?", CommandSpec.DefaultTimeout), cancellationToken).ConfigureAwait(false);
                return mux.IsOk && mux.Value("+CIPMUX:") is { } m ? new ModuleState(null, null, m.Trim() != "0") : null;
            }
            // AT+CWJAP? answers No AP (no +CWJAP: line) when not joined, in every dialect.
            var join = await channel.RunAsync(CommandCatalogue.JoinQuery.Plain(), cancellationToken).ConfigureAwait(false);
            if (!join.IsOk) return null;
            var joined = join.Value("+CWJAP:") is not null;
            if (!joined || needs != Requirement.Link) return new ModuleState(joined, null, null);
            var status = await channel.RunAsync(CommandCatalogue.Status.Plain(), cancellationToken).ConfigureAwait(false);
            return status.IsOk ? new ModuleState(true, status.Value("+CIPSTATUS:") is not null, null) : new ModuleState(true, null, null);
        }
        catch (AtException)
        {
            return null;
        }
    }
}

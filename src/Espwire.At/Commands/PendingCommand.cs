using Espwire.At.Reader;

namespace Espwire.At.Commands;

/// <summary>The reply being collected for the command in flight. Touched only under the channel's lock.</summary>
internal sealed class PendingCommand(AtCommand? command)
{
    public AtCommand? Command { get; } = command;
    public List<string> Lines { get; } = [];
    public List<UnsolicitedLine> Unsolicited { get; } = [];
    public byte[]? Data { get; set; }
    public bool PromptSeen { get; set; }
    public bool HeardAnything { get; set; }

    public TaskCompletionSource<ResultCode> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Prompt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Busy { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>After <c>busy p...</c>: the earlier command's final result arrived (it belongs to that one, not to us).</summary>
    public TaskCompletionSource Drained { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool BusySeen { get; set; }

    /// <summary>True when a final result should not end the command: AT+CIPSEND answers OK before its prompt.</summary>
    public bool WaitsPastOk => Command?.Payload is not null && !PromptSeen;
}

using Espwire.At.Errors;

namespace Espwire.At.Commands;

/// <summary>The module answered a command with ERROR, FAIL or SEND FAIL.</summary>
public sealed class AtCommandException(AtResponse response, Explanation explanation)
    : AtException($"{response.Exchange.Text} failed: {explanation.Meaning}", explanation.NextStep)
{
    public AtResponse Response { get; } = response;
    public Explanation Explanation { get; } = explanation;
}

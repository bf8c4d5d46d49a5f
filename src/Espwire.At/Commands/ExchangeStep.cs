using Espwire.At.Reader;

namespace Espwire.At.Commands;

internal enum ExchangeStepKind
{
    /// <summary>The <c>&gt;</c> prompt: the payload may go.</summary>
    Prompt,
    /// <summary>A final the spec declares as success or abort.</summary>
    Final,
    /// <summary><c>busy p...</c>: the module ignored the command.</summary>
    Busy,
    /// <summary>After busy: the earlier command's final arrived.</summary>
    Drained,
    /// <summary><c>ready</c> during a command that does not restart the module.</summary>
    Reset,
    /// <summary>The link closed.</summary>
    Closed,
}

/// <summary>One thing the reader tells the waiting command.</summary>
internal readonly record struct ExchangeStep(ExchangeStepKind Kind, ResultCode Result = ResultCode.Ok);

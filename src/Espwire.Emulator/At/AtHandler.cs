namespace Espwire.Emulator.At;

/// <summary>Runs one form of a command; writes any info lines through the session and returns the final result.</summary>
public delegate ValueTask<AtResult> AtHandler(AtSession session, AtRequest request, CancellationToken cancellationToken);

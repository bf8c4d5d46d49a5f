using Espwire.Flasher.Reset;

namespace Espwire.Flasher.Connection;

/// <summary>How to reach the ROM loader: reset strategy, attempts, syncs per attempt.</summary>
public sealed record ConnectOptions
{
    public BeforeAction Before { get; init; } = BeforeAction.DefaultReset;

    /// <summary>esptool's default: 7 attempts, cycling through the reset strategies.</summary>
    public int Attempts { get; init; } = 7;

    /// <summary>SYNC commands sent after each reset.</summary>
    public int SyncsPerAttempt { get; init; } = 5;

    /// <summary>Strategies to cycle through; null chooses from <see cref="Before"/> and the link.</summary>
    public IReadOnlyList<IResetStrategy>? Strategies { get; init; }

    public double TimeoutScale { get; init; } = 1.0;
}

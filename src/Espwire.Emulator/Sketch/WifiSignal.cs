namespace Espwire.Emulator.Sketch;

/// <summary>Whether the module's access point can be heard. Dropping it takes the station off the network (open
/// connections break, connects fail); restoring it lets the station rejoin, as the ESP8266's auto-reconnect does.</summary>
public sealed class WifiSignal
{
    private volatile bool _up = true;
    private TaskCompletionSource _restored = NewSource();

    public bool IsUp => _up;

    /// <summary>Raised after every change, with the new state.</summary>
    public event Action<bool>? Changed;

    public void Drop()
    {
        _up = false;
        Interlocked.Exchange(ref _restored, NewSource());
        Changed?.Invoke(false);
    }

    public void Restore()
    {
        _up = true;
        _restored.TrySetResult();
        Changed?.Invoke(true);
    }

    /// <summary>Completes when the signal is up (at once if it is).</summary>
    public Task WaitUpAsync(CancellationToken cancellationToken)
        => _up ? Task.CompletedTask : _restored.Task.WaitAsync(cancellationToken);

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

namespace Espwire.Ota;

/// <summary>An upload that did not end in the device's <c>OK</c>; <see cref="DeviceText"/> is what it said, if anything.</summary>
public sealed class OtaException : Exception
{
    public OtaException(OtaFailure failure, string message, string? deviceText = null, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        DeviceText = deviceText;
    }

    public OtaException()
    {
    }

    public OtaException(string message) : base(message)
    {
    }

    public OtaException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public OtaFailure Failure { get; } = OtaFailure.DeviceError;

    public string? DeviceText { get; }
}

using System.Net;
using Espwire.Emulator.Ota;

namespace Espwire.Emulator;

// ArduinoOTA's view from outside the module: where it listens, what the last update did.
public sealed partial class VirtualModule
{
    private int _otaPort;
    private int _mdnsPort;

    /// <summary>Where the running sketch's ArduinoOTA listens (127.0.0.1:port); null while no sketch with OTA runs.</summary>
    public IPEndPoint? OtaEndpoint { get; internal set; }

    /// <summary>Where the module answers unicast DNS-SD queries for its <c>_arduino._tcp</c> service; null when it does not.</summary>
    public IPEndPoint? MdnsEndpoint { get; internal set; }

    /// <summary>Size of the sketch image at 0x0; an OTA update sets it.</summary>
    public int? SketchSize { get; internal set; }

    /// <summary>Raised when ArduinoOTA starts listening (after each boot of a sketch with OTA).</summary>
    public event Action<IPEndPoint>? OtaListening;

    /// <summary>Raised when an OTA attempt ends, well or badly.</summary>
    public event Action<OtaUpdateOutcome>? OtaFinished;

    internal void RaiseOtaListening(IPEndPoint endpoint) => OtaListening?.Invoke(endpoint);

    internal void RaiseOtaFinished(OtaUpdateOutcome outcome) => OtaFinished?.Invoke(outcome);

    /// <summary>The port to bind this boot: the one asked for, or the one chosen at the first boot when 0 was asked.</summary>
    internal int OtaPortFor(int requested) => requested != 0 ? requested : _otaPort;

    internal void RememberOtaPort(int port) => _otaPort = port;

    internal int MdnsPortFor(int requested) => requested != 0 ? requested : _mdnsPort;

    internal void RememberMdnsPort(int port) => _mdnsPort = port;
}

using Espwire.Ota;

namespace Espwire.Cli.Ota;

/// <summary>The device's answer in plain words, and what to do next.</summary>
internal static class OtaMessages
{
    public static (string What, string Next) Explain(OtaException e, string host, int port) => e.Failure switch
    {
        OtaFailure.NoAnswer => ($"no answer from {host}:{port}.",
            "is the sketch running ArduinoOTA (ArduinoOTA.begin() in setup, ArduinoOTA.handle() in loop)? Check the address with 'espwire devices' and the port with --ota-port."),
        OtaFailure.PasswordRequired => ("the device asks for an OTA password.", "pass --auth PASSWORD or --auth-file FILE (the password of ArduinoOTA.setPassword)."),
        OtaFailure.WrongPassword => ("wrong password: the device answered 'Authentication Failed'.", "check --auth / --auth-file against ArduinoOTA.setPassword in the sketch."),
        OtaFailure.NoAnswerToAuthentication => ("the device did not answer the password.", "try again; if it keeps failing, reset the device."),
        OtaFailure.NotEnoughSpace => ($"not enough space on the device: {e.DeviceText?.Trim()}",
            "the new image must fit beside the running sketch: pick a flash layout with a smaller filesystem, or flash once over serial."),
        OtaFailure.Md5Mismatch => ($"MD5 mismatch: the device received a different image ({e.DeviceText?.Trim()}).", "try again; a flaky Wi-Fi link corrupts data rarely, a repeat is usually clean."),
        OtaFailure.NoConnectBack => (e.Message,
            "the device could not reach this computer: allow incoming TCP on this port in the firewall, or pass --host-port with an allowed one."),
        OtaFailure.TransferFailed => (e.Message, "the old firmware is still running; move the device closer to the access point and try again."),
        OtaFailure.NoResult => (e.Message, "the device may still be checking the image; wait and try 'espwire devices' to see whether it came back."),
        _ => (e.Message, "the old firmware is still running; check the image (espwire image info) and try again."),
    };
}

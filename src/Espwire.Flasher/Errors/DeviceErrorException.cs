using Espwire.Protocol.Rom;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Errors;

/// <summary>The device answered a command with a failure status.</summary>
public sealed class DeviceErrorException : FlasherException
{
    public DeviceErrorException(Opcode command, DeviceErrorCode error, bool stub)
        : base($"{command} failed: the {(stub ? "stub" : "ROM")} replied with error 0x{(byte)error:X2} ({DeviceErrorCodeText.Describe(error)}).",
               HintFor(command, error, stub))
    {
        Command = command;
        Error = error;
    }

    public Opcode Command { get; }
    public DeviceErrorCode Error { get; }

    private static string HintFor(Opcode command, DeviceErrorCode error, bool stub) => error switch
    {
        DeviceErrorCode.InvalidMessage when !stub =>
            $"The ESP8266 ROM does not implement {command}. Run with the flasher stub (--stub FILE, or install esptool) or leave out the step that needs it.",
        DeviceErrorCode.BadChecksum or DeviceErrorCode.StubBadChecksum =>
            "Data was corrupted on the line. Try a lower --baud, a shorter or better USB cable, and a steady 3.3 V supply.",
        DeviceErrorCode.FlashWriteError or DeviceErrorCode.StubSpiFailed or DeviceErrorCode.StubSpiUnlockFailed =>
            "The flash chip refused the write. Check the flash size (espwire flash info), the 3.3 V supply (the module draws 300 mA peaks), and that the flash is not write-protected.",
        DeviceErrorCode.DeflateError or DeviceErrorCode.StubInflateError =>
            "The compressed stream was damaged. Try a lower --baud or --no-stub.",
        DeviceErrorCode.StubInvalidCommand or DeviceErrorCode.StubNotImplemented =>
            $"This stub does not implement {command}. Use a stub from a current esptool (--stub FILE) or --no-stub.",
        _ => "Reset the module into download mode (GPIO0 low at reset) and try again; if it keeps failing, try a lower --baud.",
    };
}

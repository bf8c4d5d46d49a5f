namespace Espwire.Protocol.Rom;

/// <summary>Words for the device's error bytes, including codes this enum does not name.</summary>
public static class DeviceErrorCodeText
{
    public static string Describe(DeviceErrorCode code) => code switch
    {
        DeviceErrorCode.None => "no error",
        DeviceErrorCode.InvalidMessage => "invalid message (the ROM does not know this command)",
        DeviceErrorCode.FailedToAct => "failed to act on the command",
        DeviceErrorCode.BadChecksum => "bad data checksum",
        DeviceErrorCode.FlashWriteError => "flash write error",
        DeviceErrorCode.FlashReadError => "flash read error",
        DeviceErrorCode.ReadLengthError => "read length error",
        DeviceErrorCode.DeflateError => "deflate error",
        DeviceErrorCode.StubBadDataLength => "bad data length (stub)",
        DeviceErrorCode.StubBadChecksum => "bad data checksum (stub)",
        DeviceErrorCode.StubBadBlockSize => "bad block size (stub)",
        DeviceErrorCode.StubInvalidCommand => "invalid command (stub)",
        DeviceErrorCode.StubSpiFailed => "SPI operation failed (stub)",
        DeviceErrorCode.StubSpiUnlockFailed => "SPI unlock failed (stub)",
        DeviceErrorCode.StubNotInFlashMode => "not in flash mode (stub)",
        DeviceErrorCode.StubInflateError => "inflate error (stub)",
        DeviceErrorCode.StubNotEnoughData => "not enough data (stub)",
        DeviceErrorCode.StubTooMuchData => "too much data (stub)",
        DeviceErrorCode.StubNotImplemented => "command not implemented (stub)",
        _ => $"unknown error 0x{(byte)code:X2}",
    };
}

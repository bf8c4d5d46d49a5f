namespace Espwire.Protocol.Rom;

/// <summary>The error byte of a failed reply: the ESP8266 ROM's codes (0x05-0x0B) and the flasher stub's (0xC0-0xFF).</summary>
public enum DeviceErrorCode : byte
{
    None = 0x00,
    InvalidMessage = 0x05,
    FailedToAct = 0x06,
    BadChecksum = 0x07,
    FlashWriteError = 0x08,
    FlashReadError = 0x09,
    ReadLengthError = 0x0A,
    DeflateError = 0x0B,
    StubBadDataLength = 0xC0,
    StubBadChecksum = 0xC1,
    StubBadBlockSize = 0xC2,
    StubInvalidCommand = 0xC3,
    StubSpiFailed = 0xC4,
    StubSpiUnlockFailed = 0xC5,
    StubNotInFlashMode = 0xC6,
    StubInflateError = 0xC7,
    StubNotEnoughData = 0xC8,
    StubTooMuchData = 0xC9,
    StubNotImplemented = 0xFF,
}

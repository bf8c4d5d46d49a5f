namespace Espwire.Emulator.Bootloader;

/// <summary>Error bytes the ESP8266 ROM (0x05-0x0B) and the stub (0xC0-0xFF) put in a failed reply.</summary>
public enum LoaderError : byte
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
    StubNotInFlashMode = 0xC6,
    StubInflateError = 0xC7,
    StubNotEnoughData = 0xC8,
    StubTooMuchData = 0xC9,
    StubNotImplemented = 0xFF,
}

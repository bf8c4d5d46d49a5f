namespace Espwire.Flasher.Errors;

/// <summary>What the flash holds differs from what was written.</summary>
public sealed class VerifyException : FlasherException
{
    public VerifyException(uint address, int size, string expected, string actual)
        : base($"Verification failed at 0x{address:x8} ({size} bytes): the flash's MD5 is {actual}, the data's is {expected}.",
               "Write again at a lower --baud; if it fails again the flash may be worn or write-protected, or the flash size is wrong (--flash-size).")
    {
    }
}

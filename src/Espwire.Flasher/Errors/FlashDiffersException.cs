namespace Espwire.Flasher.Errors;

/// <summary>The flash holds something other than the file it was compared with (nothing was written).</summary>
public sealed class FlashDiffersException : FlasherException
{
    public FlashDiffersException(string name, uint address, int size, string expected, string actual)
        : base($"The flash at 0x{address:x8} ({size} bytes) differs from {name}: its MD5 is {actual}, the file's is {expected}.",
               $"The module holds other data there: write the file (espwire flash write 0x{address:x} {name}), or check the address and that this is the file you flashed.")
    {
    }
}

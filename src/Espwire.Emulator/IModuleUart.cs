using System.IO.Pipelines;

namespace Espwire.Emulator;

/// <summary>The module's UART seen from the firmware running on it.</summary>
public interface IModuleUart
{
    /// <summary>Bytes the host sent. A fresh reader per boot; completes at the next reset or when the module is
    /// disposed. A host detaching does not complete it: the module keeps running, as with the cable unplugged.</summary>
    PipeReader Input { get; }

    /// <summary>Sends bytes to the host; when pacing is on this takes as long as the line needs at <see cref="BaudRate"/>.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>The UART's baud rate; firmware changes it (AT+UART_CUR, the stub's CHANGE_BAUDRATE).</summary>
    int BaudRate { get; set; }
}

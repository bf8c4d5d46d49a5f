using System.Text;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Commands;
using Espwire.Flasher.Connection;
using Espwire.Flasher.Errors;

namespace Espwire.Flasher.Stub;

/// <summary>Uploads a stub to RAM with MEM_BEGIN/MEM_DATA/MEM_END and waits for its <c>OHAI</c>.</summary>
public static class StubLoader
{
    public static readonly byte[] Greeting = "OHAI"u8.ToArray();

    public static async Task RunAsync(BootloaderConnection connection, FlasherStub stub, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(stub);
        await UploadAsync(connection, stub.Text, stub.TextStart, cancellationToken).ConfigureAwait(false);
        if (stub.Data.Length > 0) await UploadAsync(connection, stub.Data, stub.DataStart, cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(new MemEndCommand(stub.Entry), cancellationToken).ConfigureAwait(false);
        // The ROM answers MEM_END and jumps; the stub's first frame says it runs.
        for (var i = 0; i < BootloaderConnection.MaxFramesPerReply; i++)
        {
            var frame = await connection.ReadFrameAsync(BootloaderCommand.DefaultTimeout, cancellationToken).ConfigureAwait(false)
                ?? throw new FlasherException("The stub did not say OHAI after MEM_END.", $"The stub from {stub.Source} did not start: use the ESP8266 stub of a current esptool (--stub FILE), or --no-stub.");
            if (frame.AsSpan().SequenceEqual(Greeting))
            {
                connection.IsStub = true;
                return;
            }
        }
        throw new FlasherException($"No OHAI among {BootloaderConnection.MaxFramesPerReply} frames after MEM_END.", "Something else talks on the line; reset into download mode and try again, or --no-stub.");
    }

    private static async Task UploadAsync(BootloaderConnection connection, byte[] bytes, uint address, CancellationToken cancellationToken)
    {
        var blockSize = Esp8266.MemBlockSize;
        var blocks = (uint)((bytes.Length + blockSize - 1) / blockSize);
        await connection.ExecuteWithRetryAsync(new MemBeginCommand((uint)bytes.Length, blocks, (uint)blockSize, address), 3, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var seq = 0u; seq < blocks; seq++)
        {
            var start = (int)(seq * blockSize);
            var block = bytes.AsMemory(start, Math.Min(blockSize, bytes.Length - start));
            await connection.ExecuteWithRetryAsync(new MemDataCommand(seq, block), 3, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Text for logs: "OHAI".</summary>
    public static string GreetingText => Encoding.ASCII.GetString(Greeting);
}

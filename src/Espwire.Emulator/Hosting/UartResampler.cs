namespace Espwire.Emulator.Hosting;

/// <summary>
/// What a UART receiver set to one baud rate reads when the sender uses another: the bytes are turned into
/// a bit stream (start bit, 8 data bits LSB first, stop bit) and sampled again mid-bit at the receiver's rate.
/// This is why the ROM's 74880-baud boot text reads as garbage in a 115200 terminal.
/// </summary>
public static class UartResampler
{
    public static byte[] Resample(ReadOnlySpan<byte> data, int senderBaud, int receiverBaud)
    {
        if (senderBaud <= 0 || receiverBaud <= 0) throw new ArgumentOutOfRangeException(nameof(senderBaud));
        if (senderBaud == receiverBaud || data.IsEmpty) return data.ToArray();
        var bytes = data.ToArray();

        // Line level at time t (seconds): idle high, then 10 bits per byte back to back.
        var bitTime = 1.0 / senderBaud;
        var total = bytes.Length * 10 * bitTime;
        bool Level(double t)
        {
            if (t < 0 || t >= total) return true;
            var bit = (int)(t / bitTime);
            var b = bit / 10;
            var k = bit % 10;
            return k switch
            {
                0 => false,
                9 => true,
                _ => ((bytes[b] >> (k - 1)) & 1) == 1,
            };
        }

        var rxBit = 1.0 / receiverBaud;
        // The receiver looks for a falling edge at 16x its bit rate, as UARTs do.
        var step = rxBit / 16;
        var output = new List<byte>(data.Length * 2);
        var t = 0.0;
        var previous = true;
        while (t < total)
        {
            var level = Level(t);
            if (previous && !level)
            {
                // Start bit: sample the middle of each data bit.
                var mid = t + rxBit / 2;
                if (!Level(mid))
                {
                    byte value = 0;
                    for (var i = 0; i < 8; i++)
                        if (Level(mid + (i + 1) * rxBit)) value |= (byte)(1 << i);
                    output.Add(value);
                    t = mid + 9 * rxBit;
                    previous = Level(t);
                    continue;
                }
            }
            previous = level;
            t += step;
        }
        return [.. output];
    }
}

using Espwire.Protocol.Rom;
using System.Buffers.Binary;
using Espwire.Flasher.Chip;
using Espwire.Flasher.Protocol;

namespace Espwire.Flasher.Image;

/// <summary>
/// An ESP8266 v1 firmware image (the format at flash address 0): header, segments, a checksum byte after padding
/// to 16. <see cref="Problems"/> lists what is wrong; an image with none is <see cref="IsValid"/>.
/// </summary>
public sealed record FirmwareImage(
    byte Magic, int SegmentCount, FlashMode FlashMode, FlashSize? FlashSize, byte FlashSizeCode, FlashFrequency FlashFrequency,
    uint EntryPoint, IReadOnlyList<ImageSegment> Segments, byte? StoredChecksum, byte ComputedChecksum, int ImageLength,
    IReadOnlyList<string> Problems)
{
    public const byte V1Magic = 0xE9;
    /// <summary>The SDK's OTA "v2" images (user1.bin) start with this byte; Espwire reads only their flash parameters.</summary>
    public const byte V2Magic = 0xEA;
    public const int HeaderLength = 8;
    public const int MaxSegments = 16;

    public bool IsValid => Problems.Count == 0;

    /// <summary>Bytes 2-3 of the header as esptool prints them ("Flash params set to 0x0020").</summary>
    public ushort FlashParams => (ushort)(((byte)FlashMode << 8) | (FlashSizeCode << 4) | (byte)FlashFrequency);

    public static FirmwareImage Parse(ReadOnlySpan<byte> file)
    {
        var problems = new List<string>();
        if (file.Length < HeaderLength)
        {
            problems.Add($"The file is {file.Length} bytes; an image header is {HeaderLength}.");
            return new FirmwareImage(file.Length > 0 ? file[0] : (byte)0, 0, FlashMode.Qio, null, 0, FlashFrequency.Freq40m, 0, [], null, Checksum.Seed, file.Length, problems);
        }
        var magic = file[0];
        var count = file[1];
        var mode = (FlashMode)file[2];
        var sizeCode = (byte)(file[3] >> 4);
        var freq = (FlashFrequency)(file[3] & 0x0F);
        var entry = BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        if (magic == V2Magic)
            problems.Add("This is an ESP8266 v2 (OTA user) image, magic 0xEA; Espwire checks only v1 images (magic 0xE9) in full.");
        else if (magic != V1Magic)
            problems.Add($"Magic byte is 0x{magic:X2}, not 0xE9: this is not an ESP8266 firmware image.");
        if (!Enum.IsDefined(mode)) problems.Add($"Flash mode byte {file[2]} is not qio/qout/dio/dout (0-3).");
        if (!Enum.IsDefined(freq)) problems.Add($"Flash frequency code 0x{(byte)freq:X} is not 40m/26m/20m/80m.");
        var size = Chip.FlashSize.FromHeaderCode(sizeCode);
        if (size is null) problems.Add($"Flash size code 0x{sizeCode:X} is not a known size.");

        var segments = new List<ImageSegment>();
        var computed = Checksum.Seed;
        var offset = HeaderLength;
        if (magic == V1Magic)
        {
            if (count is 0 or > MaxSegments) problems.Add($"The header says {count} segments; a v1 image has 1 to {MaxSegments}.");
            for (var i = 0; i < Math.Min((int)count, MaxSegments); i++)
            {
                if (offset + 8 > file.Length) { problems.Add($"Segment {i}'s header runs past the end of the file."); break; }
                var address = BinaryPrimitives.ReadUInt32LittleEndian(file[offset..]);
                var length = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 4)..]);
                offset += 8;
                if (length > file.Length - offset) { problems.Add($"Segment {i} claims {length} bytes; only {file.Length - offset} remain."); break; }
                if (length % 4 != 0) problems.Add($"Segment {i} is {length} bytes, not a multiple of 4.");
                segments.Add(new ImageSegment(address, (int)length, offset));
                computed = Checksum.Compute(file.Slice(offset, (int)length), computed);
                offset += (int)length;
            }
        }
        byte? stored = null;
        if (magic == V1Magic && problems.Count == 0)
        {
            // Zero padding up to 15 mod 16, then the checksum byte.
            var checksumAt = offset + (15 - offset % 16);
            if (checksumAt >= file.Length) problems.Add("The file ends before the checksum byte.");
            else
            {
                stored = file[checksumAt];
                offset = checksumAt + 1;
                if (stored != computed) problems.Add($"Checksum byte is 0x{stored:X2}; the segments sum to 0x{computed:X2}.");
            }
        }
        return new FirmwareImage(magic, count, mode, size, sizeCode, freq, entry, segments, stored, computed, offset, problems);
    }
}

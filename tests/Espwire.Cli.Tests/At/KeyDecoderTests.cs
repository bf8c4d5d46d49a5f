using System.Text;
using Espwire.Cli.At;

namespace Espwire.Cli.Tests.At;

/// <summary>The bytes a terminal sends for keys, as the raw-mode keyboard decodes them.</summary>
public class KeyDecoderTests
{
    private static List<ConsoleKeyInfo> Decode(params string[] chunks)
    {
        var decoder = new KeyDecoder();
        var keys = new List<ConsoleKeyInfo>();
        foreach (var chunk in chunks) decoder.Feed(Encoding.UTF8.GetBytes(chunk), keys);
        return keys;
    }

    [Fact]
    public void Text_comes_as_characters_and_cr_as_enter()
    {
        var keys = Decode("AT+GMR\r");
        Assert.Equal("AT+GMR", new string(keys.Take(6).Select(k => k.KeyChar).ToArray()));
        Assert.Equal(ConsoleKey.Enter, keys[6].Key);
        Assert.Equal(7, keys.Count);
        Assert.All(keys.Take(6), k => Assert.Equal(ConsoleModifiers.None, k.Modifiers & ~ConsoleModifiers.Shift));
    }

    [Fact]
    public void A_pasted_line_end_is_one_enter_whether_cr_lf_or_cr_lf()
    {
        Assert.Equal([ConsoleKey.A, ConsoleKey.Enter, ConsoleKey.B, ConsoleKey.Enter, ConsoleKey.C, ConsoleKey.Enter],
            Decode("a\r\nb\nc\r").Select(k => k.Key));
        Assert.Equal(2, Decode("\r", "\n", "\r").Count(k => k.Key == ConsoleKey.Enter)); // CR LF split over two reads
    }

    [Theory]
    [InlineData("\x01", ConsoleKey.A)]
    [InlineData("\x05", ConsoleKey.E)]
    [InlineData("\x15", ConsoleKey.U)]
    [InlineData("\x17", ConsoleKey.W)]
    [InlineData("\x0b", ConsoleKey.K)]
    [InlineData("\x03", ConsoleKey.C)]
    [InlineData("\x04", ConsoleKey.D)]
    public void Control_letters_come_with_the_control_modifier(string bytes, ConsoleKey key)
    {
        var decoded = Assert.Single(Decode(bytes));
        Assert.Equal(key, decoded.Key);
        Assert.Equal(ConsoleModifiers.Control, decoded.Modifiers);
    }

    [Theory]
    [InlineData("\x1b[A", ConsoleKey.UpArrow)]
    [InlineData("\x1bOA", ConsoleKey.UpArrow)]
    [InlineData("\x1b[B", ConsoleKey.DownArrow)]
    [InlineData("\x1bOB", ConsoleKey.DownArrow)]
    [InlineData("\x1b[C", ConsoleKey.RightArrow)]
    [InlineData("\x1b[D", ConsoleKey.LeftArrow)]
    [InlineData("\x1b[H", ConsoleKey.Home)]
    [InlineData("\x1bOH", ConsoleKey.Home)]
    [InlineData("\x1b[1~", ConsoleKey.Home)]
    [InlineData("\x1b[7~", ConsoleKey.Home)]
    [InlineData("\x1b[F", ConsoleKey.End)]
    [InlineData("\x1bOF", ConsoleKey.End)]
    [InlineData("\x1b[4~", ConsoleKey.End)]
    [InlineData("\x1b[8~", ConsoleKey.End)]
    [InlineData("\x1b[3~", ConsoleKey.Delete)]
    [InlineData("\x7f", ConsoleKey.Backspace)]
    [InlineData("\b", ConsoleKey.Backspace)]
    public void Editing_keys_in_their_csi_ss3_and_vt220_forms(string bytes, ConsoleKey key)
    {
        var decoded = Assert.Single(Decode(bytes));
        Assert.Equal(key, decoded.Key);
    }

    [Fact]
    public void Xterm_modifiers_on_arrows_are_read()
    {
        var decoded = Assert.Single(Decode("\x1b[1;5D"));
        Assert.Equal(ConsoleKey.LeftArrow, decoded.Key);
        Assert.Equal(ConsoleModifiers.Control, decoded.Modifiers);
    }

    [Fact]
    public void A_sequence_split_over_reads_is_one_key()
    {
        Assert.Equal([ConsoleKey.UpArrow, ConsoleKey.A], Decode("\x1b", "[", "A", "a").Select(k => k.Key));
    }

    [Fact]
    public void A_lone_escape_waits_and_is_the_escape_key_after_a_flush()
    {
        var decoder = new KeyDecoder();
        var keys = decoder.Feed("\x1b"u8);
        Assert.Empty(keys);
        Assert.True(decoder.Pending);
        decoder.Flush(keys);
        Assert.Equal(ConsoleKey.Escape, Assert.Single(keys).Key);
        Assert.False(decoder.Pending);
    }

    [Fact]
    public void Alt_and_a_letter_is_the_letter_with_alt()
    {
        var decoded = Assert.Single(Decode("\u001bb"));
        Assert.Equal('b', decoded.KeyChar);
        Assert.Equal(ConsoleModifiers.Alt, decoded.Modifiers);
    }

    [Fact]
    public void Unknown_sequences_are_dropped_whole_and_the_text_after_them_kept()
    {
        // F5, bracketed-paste markers, a focus report: nothing the editor does, and none of their bytes as text.
        var keys = Decode("\x1b[15~\x1b[200~AT\x1b[201~\x1b[I");
        Assert.Equal("AT", new string(keys.Select(k => k.KeyChar).ToArray()));
    }

    [Fact]
    public void An_endless_sequence_is_bounded_and_dropped()
    {
        var keys = Decode("\x1b[" + new string('1', 100_000) + "A", "B");
        Assert.Equal('B', Assert.Single(keys).KeyChar);
    }

    [Fact]
    public void A_control_byte_cuts_a_sequence_and_counts_as_itself()
    {
        Assert.Equal([ConsoleKey.Enter], Decode("\x1b[1\r").Select(k => k.Key));
    }

    [Fact]
    public void Utf8_split_over_reads_is_one_character()
    {
        var bytes = Encoding.UTF8.GetBytes("é°");
        var decoder = new KeyDecoder();
        var keys = new List<ConsoleKeyInfo>();
        foreach (var b in bytes) decoder.Feed([b], keys);
        Assert.Equal("é°", new string(keys.Select(k => k.KeyChar).ToArray()));
    }
}

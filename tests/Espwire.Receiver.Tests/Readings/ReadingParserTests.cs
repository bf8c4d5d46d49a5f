using Espwire.Receiver.Readings;

namespace Espwire.Receiver.Tests.Readings;

public sealed class ReadingParserTests
{
    [Fact]
    public void The_seeds_counter_is_a_number()
    {
        var parsed = ReadingParser.Parse("581");
        Assert.Equal(ReadingFormat.Number, parsed.Format);
        Assert.Equal([new ReadingValue("value", 581)], parsed.Values);
    }

    [Fact]
    public void Key_value_pairs_give_named_values_and_an_id()
    {
        var parsed = ReadingParser.Parse("id=radar-1 range=2.5 speed=-0.75");
        Assert.Equal(ReadingFormat.KeyValue, parsed.Format);
        Assert.Equal([new ReadingValue("range", 2.5), new ReadingValue("speed", -0.75)], parsed.Values);
        Assert.Equal("radar-1", parsed.DeclaredId);
    }

    [Fact]
    public void Comma_separated_numbers_are_columns()
    {
        var parsed = ReadingParser.Parse("1.5, 2,-3e2");
        Assert.Equal(ReadingFormat.Csv, parsed.Format);
        Assert.Equal([new ReadingValue("0", 1.5), new ReadingValue("1", 2), new ReadingValue("2", -300)], parsed.Values);
    }

    [Fact]
    public void A_json_object_gives_its_numeric_fields_and_declares_its_id()
    {
        var parsed = ReadingParser.Parse("""{"id":"radar-2","range":3.25,"ok":true,"note":"x"}""");
        Assert.Equal(ReadingFormat.Json, parsed.Format);
        Assert.Equal([new ReadingValue("range", 3.25), new ReadingValue("ok", 1)], parsed.Values);
        Assert.Equal("radar-2", parsed.DeclaredId);
    }

    [Theory]
    [InlineData("hello world")]
    [InlineData("{not json")]
    [InlineData("1,two,3")]
    [InlineData("a=1 b")]
    public void Other_text_is_kept_without_values(string text)
    {
        var parsed = ReadingParser.Parse(text);
        Assert.Equal(ReadingFormat.Text, parsed.Format);
        Assert.Empty(parsed.Values);
    }
}

using ModelTools.Data;

namespace ModelTools.UnitTests;

public sealed class TsvRecordReaderTests
{
    private static async Task<List<TsvRecord>> Read(string text)
    {
        var records = new List<TsvRecord>();
        await foreach (TsvRecord record in TsvRecordReader.ReadAsync(new StringReader(text)))
        {
            records.Add(record);
        }

        return records;
    }

    [Fact]
    public async Task Quotes_only_matter_at_the_start_of_a_field()
    {
        List<TsvRecord> records = await Read("say \"hi\"\t\"\"\"x\"\"\"\n\n5\" tall\t\n");

        Assert.Equal(["say \"hi\"", "\"x\""], records[0].Fields);
        Assert.Equal(3, records[1].LineNumber);
        Assert.Equal(["5\" tall", ""], records[1].Fields);
    }

    [Theory]
    [InlineData("\"He said \"\"no\"\"\"\tnegative", "He said \"no\"")] // pandas: quoted, quotes doubled
    [InlineData("\"tab\tinside\"\tpositive", "tab\tinside")]
    [InlineData("\"Fatty Kim The Third\" 😭😭😭\tneutral", "\"Fatty Kim The Third\" 😭😭😭")] // plain: text after the quote
    [InlineData("\"never closed\tpositive", "\"never closed")]
    [InlineData("\"a \"lone\" quote inside\"\tpositive", "\"a \"lone\" quote inside\"")] // not doubled: not quoting
    public void A_field_is_quoted_only_when_it_is_well_formed_as_such(string line, string text)
    {
        string[] fields = TsvRecordReader.Split(line);

        Assert.Equal(2, fields.Length);
        Assert.Equal(text, fields[0]);
    }

    [Fact]
    public async Task Crlf_and_lf_both_end_lines()
    {
        List<TsvRecord> records = await Read("a\tb\r\nc\td\n");

        Assert.Equal([1, 2], records.Select(r => r.LineNumber));
        Assert.Equal(["c", "d"], records[1].Fields);
    }
}

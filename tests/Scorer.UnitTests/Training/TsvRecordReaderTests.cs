using Scorer.Training;

namespace Scorer.UnitTests.Training;

public sealed class TsvRecordReaderTests
{
    private static async Task<List<TsvRecord>> Read(string text)
    {
        var records = new List<TsvRecord>();
        await foreach (TsvRecord record in TsvRecordReader.ReadAsync(new StringReader(text), "t.tsv"))
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
}

using ModelTools.Data;
using Scorer.Models;

namespace ModelTools.UnitTests;

public sealed class GoEmotionsReaderTests
{
    // ids: 0 admiration, 1 anger, 2 confusion, 3 joy, 4 neutral
    private const string Emotions = "admiration\nanger\nconfusion\njoy\nneutral";
    private const string Mapping = """{"positive": ["admiration", "joy"], "negative": ["anger"], "ambiguous": ["confusion"]}""";

    private static readonly GoEmotionsTaxonomy Taxonomy = GoEmotionsTaxonomy.Parse(Emotions, Mapping);

    [Theory]
    [InlineData(new[] { 4 }, Sentiment.Neutral)]
    [InlineData(new[] { 0 }, Sentiment.Positive)]
    [InlineData(new[] { 0, 3 }, Sentiment.Positive)]
    [InlineData(new[] { 1 }, Sentiment.Negative)]
    public void Rows_in_one_group_get_that_label(int[] ids, Sentiment expected)
    {
        Assert.Equal(new SentimentMappingResult(expected, null), Taxonomy.Map(ids));
    }

    [Theory]
    [InlineData(new[] { 0, 1 }, ExclusionReasons.Mixed)]
    [InlineData(new[] { 3, 4 }, ExclusionReasons.Mixed)]
    [InlineData(new[] { 2 }, ExclusionReasons.Ambiguous)]
    [InlineData(new[] { 0, 2 }, ExclusionReasons.Ambiguous)]
    [InlineData(new[] { 1, 0, 2 }, ExclusionReasons.Ambiguous)]
    public void Mixed_and_ambiguous_rows_are_excluded(int[] ids, string reason)
    {
        Assert.Equal(new SentimentMappingResult(null, reason), Taxonomy.Map(ids));
    }

    [Fact]
    public async Task Reads_a_split_counting_exclusions()
    {
        string tsv = string.Join("\n",
            "The bus leaves at noon.\t4\tc1",
            "\"I love \"\"this\"\" so much \"\t0,3\tc2",
            "This is awful\t1\tc3",
            "Great but annoying\t0,1\tc4",
            "What?\t2\tc5",
            "Nice, I guess\t3,4\tc6",
            "");

        GoEmotionsSplit split = await GoEmotionsReader.ParseAsync(new StringReader(tsv), "mini.tsv", "abc", Taxonomy);

        Assert.Equal(6, split.TotalRows);
        Assert.Equal([Sentiment.Neutral, Sentiment.Positive, Sentiment.Negative], split.Examples.Select(e => e.Label));
        Assert.Equal("I love \"this\" so much", split.Examples[1].Text);
        Assert.Equal("c2", split.Examples[1].CommentId);
        Assert.Equal(2, split.Examples[1].LineNumber);
        Assert.Equal(2, split.ExcludedRows[ExclusionReasons.Mixed]);
        Assert.Equal(1, split.ExcludedRows[ExclusionReasons.Ambiguous]);
        Assert.Equal([1, 2, 0], split.LabelIndices);
    }

    [Fact]
    public async Task A_bad_emotion_id_names_the_line()
    {
        string tsv = "fine\t4\tc1\nbroken\t4,99\tc2\n";

        var error = await Assert.ThrowsAsync<TsvFormatException>(() => GoEmotionsReader.ParseAsync(new StringReader(tsv), "mini.tsv", "", Taxonomy));

        Assert.Equal(2, error.LineNumber);
        Assert.Contains("mini.tsv, line 2", error.Message);
    }

    [Fact]
    public async Task A_header_row_is_reported_as_such()
    {
        var error = await Assert.ThrowsAsync<TsvFormatException>(
            () => GoEmotionsReader.ParseAsync(new StringReader("text\tlabels\tid\n"), "mini.tsv", "", Taxonomy));

        Assert.Contains("no header", error.Message);
    }

    [Fact]
    public void An_emotion_without_a_group_is_refused()
    {
        Assert.Throws<FormatException>(() => GoEmotionsTaxonomy.Parse(Emotions + "\npride", Mapping));
        Assert.Throws<FormatException>(() => GoEmotionsTaxonomy.Parse(Emotions, """{"positive": ["admiration", "joy", "glee"]}"""));
    }
}

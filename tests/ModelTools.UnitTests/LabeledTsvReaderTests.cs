using ModelTools.Data;
using Scorer.Models;

namespace ModelTools.UnitTests;

public sealed class LabeledTsvReaderTests
{
    private static Task<EvaluationSet> Parse(string text) => LabeledTsvReader.ParseAsync(new StringReader(text), "eval.tsv");

    [Fact]
    public async Task Reads_three_class_labels_with_quotes_and_crlf()
    {
        EvaluationSet set = await Parse("text\tlabel\r\n\"He said \"\"no\"\"\"\tnegative\r\nok then\tNeutral\r\n\"tab\tinside\"\tpositive\r\n");

        Assert.Equal(EvaluationKind.ThreeClass, set.Kind);
        Assert.Equal(["He said \"no\"", "ok then", "tab\tinside"], set.Texts);
        Assert.Equal([Sentiment.Negative, Sentiment.Neutral, Sentiment.Positive], set.Labels!);
    }

    [Fact]
    public async Task Only_negative_and_positive_rows_make_a_binary_file()
    {
        EvaluationSet set = await Parse("text\tlabel\nbad\tnegative\ngood\tpositive\n");

        Assert.Equal(EvaluationKind.Binary, set.Kind);
    }

    [Fact]
    public async Task Reads_numeric_ratings()
    {
        EvaluationSet set = await Parse("text\trating\nmeh\t-0.5\ngreat\t3\nwow\t1e1\n");

        Assert.Equal(EvaluationKind.Rating, set.Kind);
        Assert.Equal([-0.5, 3.0, 10.0], set.Ratings!);
        Assert.Null(set.Labels);
    }

    [Fact]
    public async Task A_plain_tweet_that_starts_with_a_quote_is_read_as_written()
    {
        EvaluationSet set = await Parse("text\tlabel\n\"Fatty Kim The Third\" 😭😭😭\tneutral\n\"never closed\tpositive\n");

        Assert.Equal(["\"Fatty Kim The Third\" 😭😭😭", "\"never closed"], set.Texts);
        Assert.Empty(set.SkippedLines);
    }

    [Theory]
    [InlineData("text\tlabel\ngood\tpositive\nbad\tnegativ\nfine\tneutral\n", 3, "label 'negativ'")]
    [InlineData("text\tlabel\ngood\tpositive\textra\nfine\tneutral\n", 2, "found 3")]
    [InlineData("text\tlabel\njust text\nfine\tneutral\n", 2, "found 1")]
    [InlineData("text\trating\nx\t1\ny\tlots\n", 3, "rating 'lots'")]
    public async Task A_bad_row_is_left_out_and_reported_with_its_line_number(string text, int line, string fragment)
    {
        EvaluationSet set = await Parse(text);

        var skipped = Assert.Single(set.SkippedLines);
        Assert.Equal(line, skipped.LineNumber);
        Assert.Contains(fragment, skipped.Problem);
        Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 2, set.Count); // all but header and bad row
    }

    [Fact]
    public async Task A_wrong_header_fails_with_its_line_number()
    {
        var error = await Assert.ThrowsAsync<TsvFormatException>(() => Parse("sentence\tlabel\nx\tpositive\n"));

        Assert.Equal(1, error.LineNumber);
        Assert.StartsWith("eval.tsv, line 1:", error.Message);
    }

    [Fact]
    public async Task A_file_none_of_whose_rows_read_is_refused_naming_the_first()
    {
        var error = await Assert.ThrowsAsync<TsvFormatException>(() => Parse("text\tlabel\nx\tmaybe\n"));

        Assert.Contains("line 2: label 'maybe'", error.Message);
    }

    [Fact]
    public async Task Empty_files_and_header_only_files_are_refused()
    {
        await Assert.ThrowsAsync<TsvFormatException>(() => Parse(""));
        await Assert.ThrowsAsync<TsvFormatException>(() => Parse("text\tlabel\n"));
    }

    [Fact]
    public async Task Reading_a_file_records_its_sha256()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "text\tlabel\nhi\tneutral\n");

            EvaluationSet set = await LabeledTsvReader.ReadAsync(path);

            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path))), set.Sha256);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

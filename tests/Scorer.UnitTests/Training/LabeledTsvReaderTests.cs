using Scorer.Models;
using Scorer.Training;

namespace Scorer.UnitTests.Training;

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
    public async Task A_quoted_field_may_span_lines_and_later_lines_keep_their_numbers()
    {
        var error = await Assert.ThrowsAsync<TsvFormatException>(() => Parse("text\tlabel\n\"two\nlines\"\tpositive\nbad row\tmaybe\n"));

        Assert.Equal(4, error.LineNumber);
    }

    [Theory]
    [InlineData("text\tlabel\ngood\tpositive\nbad\tnegativ\n", 3, "label 'negativ'")]
    [InlineData("text\tlabel\ngood\tpositive\textra\n", 2, "found 3")]
    [InlineData("text\tlabel\njust text\n", 2, "found 1")]
    [InlineData("text\trating\nx\t1\ny\tlots\n", 3, "rating 'lots'")]
    [InlineData("sentence\tlabel\nx\tpositive\n", 1, "header")]
    [InlineData("text\tlabel\n\"never closed\tpositive\n", 2, "not closed")]
    [InlineData("text\tlabel\n\"closed\"early\tpositive\n", 2, "after the closing quote")]
    public async Task Bad_rows_fail_with_their_line_number(string text, int line, string fragment)
    {
        var error = await Assert.ThrowsAsync<TsvFormatException>(() => Parse(text));

        Assert.Equal(line, error.LineNumber);
        Assert.StartsWith($"eval.tsv, line {line}:", error.Message);
        Assert.Contains(fragment, error.Message);
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

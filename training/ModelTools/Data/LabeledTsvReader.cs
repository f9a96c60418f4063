using System.Globalization;
using Scorer.Models;

namespace ModelTools.Data;

/// <summary>What an evaluation file measures.</summary>
public enum EvaluationKind
{
    /// <summary><c>text&lt;TAB&gt;label</c> with neutral rows: three-way classification.</summary>
    ThreeClass,

    /// <summary><c>text&lt;TAB&gt;label</c> with only negative and positive rows: P(neg) against P(pos).</summary>
    Binary,

    /// <summary><c>text&lt;TAB&gt;rating</c>: a numeric human rating, compared by Pearson r.</summary>
    Rating,
}

/// <summary>A line of an evaluation file that could not be read, and why.</summary>
public sealed record SkippedLine(int LineNumber, string Problem);

/// <summary>A labelled or rated evaluation file, read whole: its rows, and the lines that could not be read.</summary>
public sealed record EvaluationSet(
    string Source,
    string Sha256,
    EvaluationKind Kind,
    IReadOnlyList<string> Texts,
    IReadOnlyList<Sentiment>? Labels,
    IReadOnlyList<double>? Ratings,
    IReadOnlyList<SkippedLine>? Skipped = null)
{
    public int Count => Texts.Count;

    public IReadOnlyList<SkippedLine> SkippedLines => Skipped ?? [];
}

/// <summary>
/// Reads evaluation files with a header row: <c>text&lt;TAB&gt;label</c> (negative / neutral / positive) or
/// <c>text&lt;TAB&gt;rating</c> (a number). Quoting as <see cref="TsvRecordReader"/> (plain and pandas-quoted files
/// alike). A row that cannot be read (wrong field count, unknown label, a rating that is not a number) is left
/// out and listed in <see cref="EvaluationSet.SkippedLines"/> with its line number, so one bad line neither stops
/// the evaluation nor goes unnoticed. A missing header or a file without rows is an error.
/// </summary>
public static class LabeledTsvReader
{
    public static async Task<EvaluationSet> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        string sha256 = await FileFingerprint.Sha256Async(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(path);
        return await ParseAsync(reader, Path.GetFileName(path), sha256, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<EvaluationSet> ParseAsync(
        TextReader reader, string source, string sha256 = "", CancellationToken cancellationToken = default)
    {
        bool? rated = null;
        var texts = new List<string>();
        var labels = new List<Sentiment>();
        var ratings = new List<double>();
        var skipped = new List<SkippedLine>();
        await foreach (TsvRecord record in TsvRecordReader.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (rated is null)
            {
                rated = ParseHeader(record, source);
                continue;
            }

            if (record.Fields.Count != 2)
            {
                skipped.Add(new SkippedLine(record.LineNumber,
                    $"expected 2 tab-separated fields (text, {(rated.Value ? "rating" : "label")}), found {record.Fields.Count}"));
                continue;
            }

            string value = record.Fields[1];
            if (rated.Value)
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rating) || !double.IsFinite(rating))
                {
                    skipped.Add(new SkippedLine(record.LineNumber, $"rating '{value}' is not a finite number"));
                    continue;
                }

                ratings.Add(rating);
            }
            else
            {
                if (!SentimentLabels.TryParse(value, out Sentiment label))
                {
                    skipped.Add(new SkippedLine(record.LineNumber,
                        $"label '{value}' is not one of {string.Join(", ", SentimentLabels.Names)}"));
                    continue;
                }

                labels.Add(label);
            }

            texts.Add(record.Fields[0]);
        }

        if (rated is null)
        {
            throw new TsvFormatException(source, 1, "the file is empty; expected a header 'text<TAB>label' or 'text<TAB>rating'");
        }

        if (texts.Count == 0)
        {
            throw new TsvFormatException(source, 2, skipped.Count == 0
                ? "the file has a header but no rows"
                : $"none of its {skipped.Count} rows could be read (line {skipped[0].LineNumber}: {skipped[0].Problem})");
        }

        if (rated.Value)
        {
            return new EvaluationSet(source, sha256, EvaluationKind.Rating, texts, null, ratings, skipped);
        }

        EvaluationKind kind = labels.Contains(Sentiment.Neutral) ? EvaluationKind.ThreeClass : EvaluationKind.Binary;
        return new EvaluationSet(source, sha256, kind, texts, labels, null, skipped);
    }

    /// <returns>true for a rating file, false for a label file.</returns>
    private static bool ParseHeader(TsvRecord header, string source)
    {
        if (header.Fields.Count == 2 && header.Fields[0].Trim().Equals("text", StringComparison.OrdinalIgnoreCase))
        {
            string second = header.Fields[1].Trim();
            if (second.Equals("label", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            if (second.Equals("rating", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        throw new TsvFormatException(source, header.LineNumber,
            $"expected the header 'text<TAB>label' or 'text<TAB>rating', found '{string.Join("<TAB>", header.Fields)}'");
    }
}

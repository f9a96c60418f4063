using System.Globalization;
using Scorer.Models;

namespace Scorer.Training;

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

/// <summary>A labelled or rated evaluation file, read whole.</summary>
public sealed record EvaluationSet(
    string Source,
    string Sha256,
    EvaluationKind Kind,
    IReadOnlyList<string> Texts,
    IReadOnlyList<Sentiment>? Labels,
    IReadOnlyList<double>? Ratings)
{
    public int Count => Texts.Count;
}

/// <summary>
/// Reads evaluation files with a header row: <c>text&lt;TAB&gt;label</c> (negative / neutral / positive) or
/// <c>text&lt;TAB&gt;rating</c> (a number). Quoting as <see cref="TsvRecordReader"/>; any bad row fails the
/// read with its line number, since a silently skipped row would change the figures.
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
        await foreach (TsvRecord record in TsvRecordReader.ReadAsync(reader, source, cancellationToken).ConfigureAwait(false))
        {
            if (rated is null)
            {
                rated = ParseHeader(record, source);
                continue;
            }

            if (record.Fields.Count != 2)
            {
                throw new TsvFormatException(source, record.LineNumber,
                    $"expected 2 tab-separated fields (text, {(rated.Value ? "rating" : "label")}), found {record.Fields.Count}");
            }

            string value = record.Fields[1];
            if (rated.Value)
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double rating) || !double.IsFinite(rating))
                {
                    throw new TsvFormatException(source, record.LineNumber, $"rating '{value}' is not a finite number");
                }

                ratings.Add(rating);
            }
            else
            {
                if (!SentimentLabels.TryParse(value, out Sentiment label))
                {
                    throw new TsvFormatException(source, record.LineNumber,
                        $"label '{value}' is not one of {string.Join(", ", SentimentLabels.Names)}");
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
            throw new TsvFormatException(source, 2, "the file has a header but no rows");
        }

        if (rated.Value)
        {
            return new EvaluationSet(source, sha256, EvaluationKind.Rating, texts, null, ratings);
        }

        EvaluationKind kind = labels.Contains(Sentiment.Neutral) ? EvaluationKind.ThreeClass : EvaluationKind.Binary;
        return new EvaluationSet(source, sha256, kind, texts, labels, null);
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

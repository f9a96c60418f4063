using System.Globalization;
using Scorer.Models;

namespace ModelTools.Data;

/// <summary>One GoEmotions comment with its three-way sentiment label.</summary>
public sealed record GoEmotionsExample(string Text, Sentiment Label, string CommentId, int LineNumber);

/// <summary>A GoEmotions split mapped to sentiment: the kept rows, and how many rows were left out and why.</summary>
public sealed record GoEmotionsSplit(
    string Source,
    string Sha256,
    int TotalRows,
    IReadOnlyList<GoEmotionsExample> Examples,
    IReadOnlyDictionary<string, int> ExcludedRows)
{
    public int ExcludedCount => ExcludedRows.Values.Sum();

    public int CountOf(Sentiment label) => Examples.Count(example => example.Label == label);

    public IReadOnlyList<string> Texts { get; } = Examples.Select(example => example.Text).ToArray();

    /// <summary>Class indices (see <see cref="SentimentLabels"/>) in row order.</summary>
    public int[] LabelIndices { get; } = Examples.Select(example => (int)example.Label).ToArray();
}

/// <summary>
/// Reads GoEmotions' <c>train.tsv</c> / <c>dev.tsv</c>: no header; <c>text&lt;TAB&gt;ids&lt;TAB&gt;comment id</c>
/// with comma-separated emotion ids, texts quoted as pandas writes them. Text is trimmed (the derived eval
/// files drop the trailing spaces some comments have).
/// </summary>
public static class GoEmotionsReader
{
    public static async Task<GoEmotionsSplit> ReadAsync(
        string path, GoEmotionsTaxonomy taxonomy, CancellationToken cancellationToken = default)
    {
        string sha256 = await FileFingerprint.Sha256Async(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(path);
        return await ParseAsync(reader, Path.GetFileName(path), sha256, taxonomy, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<GoEmotionsSplit> ParseAsync(
        TextReader reader, string source, string sha256, GoEmotionsTaxonomy taxonomy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        var examples = new List<GoEmotionsExample>();
        var excluded = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var ids = new List<int>();
        int total = 0;
        await foreach (TsvRecord record in TsvRecordReader.ReadAsync(reader, cancellationToken).ConfigureAwait(false))
        {
            if (record.Fields.Count != 3)
            {
                throw new TsvFormatException(source, record.LineNumber,
                    $"expected 3 tab-separated fields (text, emotion ids, comment id), found {record.Fields.Count}");
            }

            ParseEmotionIds(record.Fields[1], taxonomy.Emotions.Count, source, record.LineNumber, ids);
            total++;
            SentimentMappingResult mapped = taxonomy.Map(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids));
            if (mapped.Label is { } label)
            {
                examples.Add(new GoEmotionsExample(record.Fields[0].Trim(), label, record.Fields[2], record.LineNumber));
            }
            else
            {
                excluded[mapped.ExclusionReason!] = excluded.GetValueOrDefault(mapped.ExclusionReason!) + 1;
            }
        }

        return new GoEmotionsSplit(source, sha256, total, examples, excluded);
    }

    private static void ParseEmotionIds(string field, int emotionCount, string source, int lineNumber, List<int> ids)
    {
        ids.Clear();
        foreach (Range range in field.AsSpan().Split(','))
        {
            ReadOnlySpan<char> part = field.AsSpan(range).Trim();
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id >= emotionCount)
            {
                string hint = lineNumber == 1 ? " (GoEmotions files have no header row)" : string.Empty;
                throw new TsvFormatException(source, lineNumber,
                    $"'{part}' in '{field}' is not an emotion id 0-{emotionCount - 1}{hint}");
            }

            ids.Add(id);
        }
    }
}

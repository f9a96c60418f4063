using System.Text.Json;
using Scorer.Models;
using Scorer.Models.Accurate;

namespace ModelTools.Preparation;

/// <summary>
/// Writes a <see cref="SentimentCorpus"/> the way the PyTorch trainer reads it, tokenized and featurized by the
/// Scorer's own code (its WordPiece tokenizer and VADER analyser), so training sees exactly the inputs serving
/// will. Per split (<c>train</c>, <c>dev-reddit</c>, <c>dev-tweets</c>, <c>dev-reviews</c>) a folder of .npy files:
/// <list type="bullet">
/// <item><c>ids.npy</c> int32: every text's token ids, [CLS] … [SEP], one after another;</item>
/// <item><c>offsets.npy</c> int64 [n + 1]: where each text's ids start;</item>
/// <item><c>labels.npy</c> int8: 0 negative, 1 neutral, 2 positive; <c>domains.npy</c> int8: <see cref="TextDomain"/>;</item>
/// <item><c>lexicon.npy</c> float32 [n, 4]: VADER's negative, neutral, positive and compound scores.</item>
/// </list>
/// Each dev split is also written as <c>{split}.tsv</c> (<c>text&lt;TAB&gt;label</c>) for <c>evaluate</c>, the
/// encoder graph as <c>encoder.onnx</c>, and what was written as <c>manifest.json</c>.
/// </summary>
public sealed class TrainingSetWriter(EncoderSource encoder, int maxTokens)
{
    public const string EncoderFile = "encoder.onnx";
    public const string ManifestFile = "manifest.json";
    public const string TrainSplit = "train";

    private readonly SentimentTokenizer _tokenizer = new(encoder.OpenVocabulary(), encoder.LowerCase, maxTokens);
    private readonly LexiconFeatures _lexicon = LexiconFeatures.CreateVader();

    public static string DevSplit(TextDomain domain) => $"dev-{domain.ToString().ToLowerInvariant()}";

    public async Task WriteAsync(SentimentCorpus corpus, string output, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(output);
        await File.WriteAllBytesAsync(Path.Combine(output, EncoderFile), encoder.ReadModel(), cancellationToken).ConfigureAwait(false);

        var splits = new Dictionary<string, object>();
        splits[TrainSplit] = WriteSplit(Path.Combine(output, TrainSplit), corpus.Train, cancellationToken);
        foreach (var (domain, rows) in corpus.Dev.OrderBy(d => d.Key))
        {
            var name = DevSplit(domain);
            splits[name] = WriteSplit(Path.Combine(output, name), rows, cancellationToken);
            await WriteTsvAsync(Path.Combine(output, name + ".tsv"), rows, cancellationToken).ConfigureAwait(false);
        }

        var manifest = new
        {
            format = 1,
            encoder = encoder.Name,
            max_tokens = maxTokens,
            seed = corpus.Seed,
            domains = Enum.GetValues<TextDomain>().ToDictionary(d => ((int)d).ToString(System.Globalization.CultureInfo.InvariantCulture), d => d.ToString().ToLowerInvariant()),
            labels = ModelNames.Labels,
            lexicon_features = LexiconFeatures.Vader,
            sources = corpus.Sources.ToDictionary(s => s.Path, s => s.Sha256),
            split_rules = new
            {
                tweets_dev_rows = SentimentCorpus.TweetDevRows,
                reviews_dev_rows = SentimentCorpus.ReviewDevRows,
                reviews_dev_min_words = SentimentCorpus.ReviewDevMinWords,
                reviews_train_overlaps_removed = corpus.RemovedReviewOverlaps,
            },
            splits,
        };
        await File.WriteAllTextAsync(Path.Combine(output, ManifestFile),
            JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
    }

    private object WriteSplit(string folder, IReadOnlyList<LabeledText> rows, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var ids = new List<int>(rows.Count * 24);
        var offsets = new long[rows.Count + 1];
        var labels = new sbyte[rows.Count];
        var domains = new sbyte[rows.Count];
        var lexicon = new float[rows.Count * LexiconFeatures.Count];
        var batch = new TokenBatch();
        var truncated = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (i % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            _tokenizer.Encode([rows[i].Text], batch);
            var length = batch.Lengths[0];
            truncated += batch.Truncated[0] ? 1 : 0;
            foreach (var id in batch.InputIds.AsSpan(0, length))
            {
                ids.Add(checked((int)id));
            }

            offsets[i + 1] = ids.Count;
            labels[i] = (sbyte)rows[i].Label;
            domains[i] = (sbyte)rows[i].Domain;
        }

        _lexicon.Compute(rows.Select(r => r.Text).ToArray(), lexicon);

        NpyWriter.Write(Path.Combine(folder, "ids.npy"), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(ids));
        NpyWriter.Write(Path.Combine(folder, "offsets.npy"), offsets);
        NpyWriter.Write(Path.Combine(folder, "labels.npy"), labels);
        NpyWriter.Write(Path.Combine(folder, "domains.npy"), domains);
        NpyWriter.Write(Path.Combine(folder, "lexicon.npy"), lexicon, rows.Count, LexiconFeatures.Count);

        return new
        {
            rows = rows.Count,
            tokens = ids.Count,
            truncated,
            by_domain = rows.GroupBy(r => r.Domain).OrderBy(g => g.Key).ToDictionary(
                g => g.Key.ToString().ToLowerInvariant(),
                g => g.GroupBy(r => r.Label).OrderBy(l => l.Key).ToDictionary(l => ModelNames.Labels[(int)l.Key], l => l.Count())),
        };
    }

    private static async Task WriteTsvAsync(string path, IReadOnlyList<LabeledText> rows, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(path);
        await writer.WriteLineAsync("text\tlabel").ConfigureAwait(false);
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync($"{row.Text}\t{ModelNames.Labels[(int)row.Label]}").ConfigureAwait(false);
        }
    }
}

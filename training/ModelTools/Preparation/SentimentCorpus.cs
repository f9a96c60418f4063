using ModelTools.Data;
using Scorer.Models;

namespace ModelTools.Preparation;

/// <summary>The register a text was written in; the trainer weighs and reports each on its own.</summary>
public enum TextDomain
{
    /// <summary>GoEmotions: Reddit comments, three classes.</summary>
    Reddit = 0,

    /// <summary>SemEval 2013-2016: tweets, three classes.</summary>
    Tweets = 1,

    /// <summary>SST-2: movie-review phrases, negative and positive only.</summary>
    Reviews = 2,
}

/// <summary>One training or dev example.</summary>
public sealed record LabeledText(string Text, Sentiment Label, TextDomain Domain);

/// <summary>A source file and its SHA-256, for the provenance the weights carry.</summary>
public sealed record SourceFile(string Path, string Sha256);

/// <summary>
/// The three labelled sets of <c>../shared/data</c> (see its README), split into one training set and one dev set
/// per domain:
/// <list type="bullet">
/// <item>GoEmotions: its own train and dev files, mapped to three classes by <see cref="GoEmotionsTaxonomy"/>
/// (ambiguous and mixed rows left out; the dev rows are exactly <c>eval/goemotions-dev.tsv</c>'s).</item>
/// <item>Tweets: <see cref="TweetDevRows"/> tweets drawn at random (seeded) for dev; the rest train.</item>
/// <item>Reviews: <see cref="ReviewDevRows"/> phrases of at least <see cref="ReviewDevMinWords"/> words drawn at
/// random (seeded) for dev, so dev looks like the review sentences users score. SST-2's phrases are nested
/// sub-trees of the same sentences, so every training phrase that occurs inside a dev phrase, or contains one,
/// is dropped from training (<see cref="RemovedReviewOverlaps"/>): otherwise dev would grade phrases seen in
/// training.</item>
/// </list>
/// </summary>
public sealed class SentimentCorpus
{
    public const int DefaultSeed = 20261207;
    public const int TweetDevRows = 3000;
    public const int ReviewDevRows = 1500;
    public const int ReviewDevMinWords = 10;

    public required IReadOnlyList<LabeledText> Train { get; init; }

    public required IReadOnlyDictionary<TextDomain, IReadOnlyList<LabeledText>> Dev { get; init; }

    public required IReadOnlyList<SourceFile> Sources { get; init; }

    public required int Seed { get; init; }

    public int RemovedReviewOverlaps { get; init; }

    /// <summary>Where each set lives under the data folder.</summary>
    public static class Layout
    {
        public const string GoEmotionsTrain = "goemotions/train.tsv";
        public const string GoEmotionsDev = "goemotions/dev.tsv";
        public const string Emotions = "goemotions/emotions.txt";
        public const string SentimentMapping = "goemotions/sentiment_mapping.json";
        public const string Tweets = "sentiment/semeval-tweets-2013-2016.tsv";
        public const string Reviews = "sentiment/sst2-train.tsv";
    }

    public static async Task<SentimentCorpus> LoadAsync(string dataDirectory, int seed = DefaultSeed, CancellationToken cancellationToken = default)
    {
        string PathOf(string relative)
        {
            var path = Path.Combine(dataDirectory, relative);
            return File.Exists(path) ? path : throw new FileNotFoundException($"{relative} is missing from the data folder {dataDirectory}.", path);
        }

        var taxonomy = await GoEmotionsTaxonomy.LoadAsync(PathOf(Layout.Emotions), PathOf(Layout.SentimentMapping), cancellationToken).ConfigureAwait(false);
        var goTrain = await GoEmotionsReader.ReadAsync(PathOf(Layout.GoEmotionsTrain), taxonomy, cancellationToken).ConfigureAwait(false);
        var goDev = await GoEmotionsReader.ReadAsync(PathOf(Layout.GoEmotionsDev), taxonomy, cancellationToken).ConfigureAwait(false);
        var tweets = await ReadLabelledAsync(PathOf(Layout.Tweets), cancellationToken).ConfigureAwait(false);
        var reviews = await ReadLabelledAsync(PathOf(Layout.Reviews), cancellationToken).ConfigureAwait(false);

        var (tweetTrain, tweetDev) = SplitTweets(Examples(tweets, TextDomain.Tweets), seed);
        var (reviewTrain, reviewDev, removed) = SplitReviews(Examples(reviews, TextDomain.Reviews), seed, ReviewDevRows);

        var train = new List<LabeledText>();
        train.AddRange(goTrain.Examples.Select(e => new LabeledText(e.Text, e.Label, TextDomain.Reddit)));
        train.AddRange(tweetTrain);
        train.AddRange(reviewTrain);

        return new SentimentCorpus
        {
            Train = train,
            Dev = new Dictionary<TextDomain, IReadOnlyList<LabeledText>>
            {
                [TextDomain.Reddit] = goDev.Examples.Select(e => new LabeledText(e.Text, e.Label, TextDomain.Reddit)).ToArray(),
                [TextDomain.Tweets] = tweetDev,
                [TextDomain.Reviews] = reviewDev,
            },
            Sources =
            [
                new(Layout.GoEmotionsTrain, goTrain.Sha256),
                new(Layout.GoEmotionsDev, goDev.Sha256),
                new(Layout.Tweets, tweets.Sha256),
                new(Layout.Reviews, reviews.Sha256),
            ],
            Seed = seed,
            RemovedReviewOverlaps = removed,
        };
    }

    private static async Task<EvaluationSet> ReadLabelledAsync(string path, CancellationToken cancellationToken)
    {
        var set = await LabeledTsvReader.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        foreach (var skipped in set.SkippedLines)
        {
            await Console.Error.WriteLineAsync($"{path}, line {skipped.LineNumber}: {skipped.Problem} (left out)").ConfigureAwait(false);
        }

        return set;
    }

    private static List<LabeledText> Examples(EvaluationSet set, TextDomain domain) =>
        set.Texts.Select((text, i) => new LabeledText(text.Trim(), set.Labels![i], domain)).ToList();

    /// <summary>A seeded shuffle (System.Random with a seed is the same sequence on every .NET version).</summary>
    private static void Shuffle<T>(List<T> items, Random random)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    internal static (List<LabeledText> Train, LabeledText[] Dev) SplitTweets(List<LabeledText> tweets, int seed)
    {
        Shuffle(tweets, new Random(seed));
        var dev = Math.Min(TweetDevRows, tweets.Count / 10);
        return (tweets.Skip(dev).ToList(), tweets.Take(dev).ToArray());
    }

    internal static (List<LabeledText> Train, LabeledText[] Dev, int Removed) SplitReviews(List<LabeledText> reviews, int seed, int devRows)
    {
        var candidates = reviews.Where(r => WordCount(r.Text) >= ReviewDevMinWords).ToList();
        Shuffle(candidates, new Random(seed + 1));
        // A small data folder (the trainer's smoke test) keeps three quarters of its long phrases for training.
        var dev = candidates.Take(Math.Min(devRows, Math.Max(1, candidates.Count / 4))).ToArray();
        var devSet = dev.ToHashSet();

        // Compared with spaces around, so a phrase matches whole words only.
        var devPadded = dev.Select(d => $" {d.Text} ").ToArray();
        var train = new List<LabeledText>(reviews.Count);
        var removed = 0;
        foreach (var review in reviews)
        {
            if (devSet.Contains(review))
            {
                continue;
            }

            var padded = $" {review.Text} ";
            if (devPadded.Any(d => Overlaps(d, padded)))
            {
                removed++;
                continue;
            }

            train.Add(review);
        }

        return (train, dev, removed);
    }

    private static bool Overlaps(string a, string b) =>
        a.Length >= b.Length
            ? a.Contains(b, StringComparison.Ordinal)
            : b.Contains(a, StringComparison.Ordinal);

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}

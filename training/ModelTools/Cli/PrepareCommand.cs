using System.CommandLine;
using System.Diagnostics;
using ModelTools.Preparation;
using Scorer.Models.Accurate;

namespace ModelTools.Cli;

/// <summary><c>prepare --data DIR --output DIR</c>: the trainer's inputs (see <see cref="TrainingSetWriter"/>).</summary>
public static class PrepareCommand
{
    /// <summary>Training inputs are cut at this many tokens ([CLS] and [SEP] included); serving reads up to 256.</summary>
    public const int DefaultMaxTokens = 128;

    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "The shared data folder (goemotions/, sentiment/).", Required = true };
        var output = new Option<DirectoryInfo>("--output") { Description = "Folder to write the prepared splits to.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the dev splits.", DefaultValueFactory = _ => SentimentCorpus.DefaultSeed };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest training input in tokens.", DefaultValueFactory = _ => DefaultMaxTokens };
        var command = new Command("prepare", "Split ../shared/data into train and dev sets and tokenize them with the Scorer's tokenizer.")
        {
            data, output, seed, maxTokens,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var dataDirectory = parsed.GetRequiredValue(data);
            if (!dataDirectory.Exists)
            {
                throw new UsageException($"The data folder {dataDirectory.FullName} does not exist.");
            }

            if (parsed.GetValue(maxTokens) is < 8 or > 512)
            {
                throw new UsageException("--max-tokens must be between 8 and 512.");
            }

            var stopwatch = Stopwatch.StartNew();
            var corpus = await SentimentCorpus.LoadAsync(dataDirectory.FullName, parsed.GetValue(seed), cancellationToken);
            var writer = new TrainingSetWriter(EncoderCatalog.MiniLmL6V2, parsed.GetValue(maxTokens));
            await writer.WriteAsync(corpus, parsed.GetRequiredValue(output).FullName, cancellationToken);
            Console.WriteLine(
                $"prepared {corpus.Train.Count} training texts and dev sets of {string.Join(", ", corpus.Dev.Select(d => $"{d.Value.Count} {d.Key.ToString().ToLowerInvariant()}"))} " +
                $"(seed {corpus.Seed}; {corpus.RemovedReviewOverlaps} review phrases overlapping dev left out of training) " +
                $"in {parsed.GetRequiredValue(output).FullName} ({stopwatch.Elapsed.TotalSeconds:F0} s)");
            return 0;
        });
        return command;
    }
}

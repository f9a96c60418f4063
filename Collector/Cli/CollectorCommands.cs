using Collector.Extensions;
using Collector.Ingestion;
using Collector.Ingestion.Reddit;
using Collector.Model;

namespace Collector.Cli;

/// <summary>
/// The Collector's command line, for backfills and diagnostics, with the same clients and settings as the
/// service (<c>ConnectionStrings__redis</c>, <c>Reddit__ClientId</c>, …):
/// <list type="bullet">
/// <item><c>ingest PATH</c>: a dump file or folder through validation into the queues (resumable).</item>
/// <item><c>fetch --subreddit S --kind posts|comments --limit N --output F.ndjson</c>: the Reddit API to NDJSON in the dump format
/// (children that did not map as Reddit sent them, reported on stderr, so <c>ingest</c> of the file parks them).</item>
/// </list>
/// </summary>
public static class CollectorCommands
{
    private static readonly string[] Commands = ["ingest", "fetch"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static async Task<int> RunAsync(string[] args)
    {
        var (options, errors) = Parse(args[0], args[1..]);
        if (errors is not null)
        {
            await Console.Error.WriteLineAsync(errors);
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }

        var builder = WebApplication.CreateBuilder([]);
        builder.Logging.AddFilter("StackExchange.Redis", LogLevel.Warning); // its disconnect notice at exit is not news
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        if (args[0] == "fetch" && !Extensions.Extensions.IsRedditConfigured(builder.Configuration))
        {
            await Console.Error.WriteLineAsync("fetch needs the Reddit API settings: Reddit__ClientId, Reddit__ClientSecret, Reddit__AppId, Reddit__RedditUser (see the README).");
            return 2;
        }

        // Built, not started: the service's hosted workers and pollers stay off.
        await using var app = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return args[0] == "ingest"
                ? await IngestAsync(app.Services, options["path"], cancel.Token)
                : await FetchAsync(app.Services, options, cancel.Token);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Stopped; progress is checkpointed, run the same command to resume.");
            return 130;
        }
    }

    private static async Task<int> IngestAsync(IServiceProvider services, string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            await Console.Error.WriteLineAsync($"No such file or folder: {path}");
            return 2;
        }

        var summary = await services.GetRequiredService<DumpIngestion>().IngestAsync(path, cancellationToken);
        Console.WriteLine($"{summary.Records} records: {summary.Queued} queued, {summary.Invalid} parked in reddit:failed:queue");
        return 0;
    }

    private static async Task<int> FetchAsync(IServiceProvider services, Dictionary<string, string> options, CancellationToken cancellationToken)
    {
        var kind = options["kind"] == "posts" ? RedditItemKind.Post : RedditItemKind.Comment;
        var limit = int.Parse(options["limit"], System.Globalization.CultureInfo.InvariantCulture);
        var client = services.GetRequiredService<RedditClient>();
        var path = SubredditPoller.ListingPath(options["subreddit"], kind);

        await using var output = File.Create(options["output"]);
        var (written, unmapped) = await WriteListingAsync(client, path, limit, output, Console.Error, cancellationToken);
        var note = unmapped == 0 ? "" : $" ({unmapped} did not map: written as Reddit sent them, so ingest parks them with the reason)";
        Console.WriteLine($"{written} {options["kind"]} of r/{options["subreddit"]} written to {options["output"]}{note}");
        return 0;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> children of a listing, newest first, one NDJSON line each (see
    /// <see cref="DumpLineWriter.Write(System.Text.Json.Utf8JsonWriter, ListingChild)"/>). A child that did not map is
    /// not dropped: it is written as Reddit sent it, and its fullname and reason go to <paramref name="errors"/>.
    /// </summary>
    internal static async Task<(int Written, int Unmapped)> WriteListingAsync(
        RedditClient client, string path, int limit, Stream output, TextWriter errors, CancellationToken cancellationToken)
    {
        int written = 0, unmapped = 0;
        string? after = null;
        do
        {
            var page = await client.GetListingAsync(path, new ListingQuery { Limit = Math.Min(100, limit - written), After = after }, cancellationToken);
            foreach (var child in page.Children.Take(limit - written))
            {
                await using (var json = new System.Text.Json.Utf8JsonWriter(output))
                {
                    DumpLineWriter.Write(json, child);
                }

                output.WriteByte((byte)'\n');
                written++;
                if (child.Item is null)
                {
                    unmapped++;
                    await errors.WriteLineAsync($"{child.Fullname ?? "a child without a fullname"} did not map: {child.SkipReason}");
                }
            }

            after = page.After;
        }
        while (after is not null && written < limit);

        return (written, unmapped);
    }

    private const string Usage = """
        usage: dotnet run --project Collector -- ingest PATH
               dotnet run --project Collector -- fetch --subreddit S --kind posts|comments --limit N --output F.ndjson
        """;

    private static (Dictionary<string, string> Options, string? Error) Parse(string command, string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length)
                {
                    return (options, $"{args[i]} needs a value");
                }

                options[args[i][2..]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (command == "ingest")
        {
            if (positional.Count != 1)
            {
                return (options, "ingest takes one PATH (a dump file or folder)");
            }

            options["path"] = positional[0];
            return (options, null);
        }

        string[] required = ["subreddit", "kind", "limit", "output"];
        if (required.FirstOrDefault(r => !options.ContainsKey(r)) is { } missing)
        {
            return (options, $"missing --{missing}");
        }

        if (options["kind"] is not ("posts" or "comments"))
        {
            return (options, "--kind must be posts or comments");
        }

        return int.TryParse(options["limit"], out var limit) && limit is > 0 and <= 100_000
            ? (options, null)
            : (options, "--limit must be 1 to 100000");
    }
}

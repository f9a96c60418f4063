using System.CommandLine;
using Collector.Ingestion;
using Collector.Ingestion.Dumps;
using Collector.Ingestion.Reddit;
using Collector.Model;
using Collector.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Collector.Cli;

/// <summary>
/// The Collector's command line, for backfills and diagnostics, with the same clients and settings as the
/// service (<c>ConnectionStrings__redis</c>, <c>Reddit__ClientId</c>, …):
/// <list type="bullet">
/// <item><c>ingest PATH</c>: a dump file or folder through validation into the queues (resumable).</item>
/// <item><c>fetch --subreddit S --kind posts|comments --limit N --output F.ndjson</c>: the Reddit API to NDJSON in
/// the dump format (children that did not map as Reddit sent them, reported on stderr, so <c>ingest</c> of the file
/// parks them).</item>
/// <item><c>fetch … --sort hot|top|controversial|rising [--time day]</c>: the other post listings, for backfills.</item>
/// <item><c>fetch-thread --post ID --output F.ndjson</c>: a post and its whole comment tree, <c>more</c> links expanded.</item>
/// <item><c>check-rollups [--repair]</c>: the sentiment rollups against a recomputation from the items (exit 1 when
/// they differ); <c>--repair</c> rebuilds them first.</item>
/// </list>
/// Every failure is one line on stderr (the stack trace only with <c>--verbose</c>) and an exit code:
/// <see cref="Failed"/> (1), <see cref="Usage"/> (2), <see cref="Interrupted"/> (130); see <see cref="CommandLineConventions"/>.
/// </summary>
public static class CollectorCommandLine
{
    public const int Failed = CommandLineConventions.Failed;
    public const int Usage = CommandLineConventions.Usage;
    public const int Interrupted = CommandLineConventions.Interrupted;

    private static readonly string[] Commands = ["ingest", "fetch", "fetch-thread", "check-rollups"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static Task<int> RunAsync(string[] args) => RunAsync(args, settings: null, Console.Out, Console.Error);

    /// <param name="settings">Configuration on top of the environment's (tests point the clients at their servers).</param>
    internal static Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?>? settings, TextWriter output, TextWriter errors)
    {
        var context = new CommandContext(settings, output);
        var root = new RootCommand("The Collector's command line: dump backfills and Reddit API fetches, with the service's settings.")
        {
            IngestCommand(context, errors),
            FetchCommand(context, errors),
            FetchThreadCommand(context, errors),
            CheckRollupsCommand(context, errors),
        };
        return CommandLineConventions.RunAsync(root, args, Describe, output, errors,
            interrupted: "Stopped; progress is checkpointed, run the same command to resume.");
    }

    /// <summary>One line for a failure: what went wrong in the user's terms.</summary>
    internal static string Describe(Exception error) => error switch
    {
        RedisConnectionException connection =>
            $"Redis is not reachable ({connection.FailureType}); what was read is checkpointed: run the same command again once it is back.",
        RedisTimeoutException =>
            "Redis did not answer in time; what was read is checkpointed: run the same command again once it answers.",
        RedditApiException or TimeoutException => error.Message,
        HttpRequestException => $"Reddit could not be reached: {error.Message}",
        PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedFunction } =>
            "the database has no rollups yet: start the Collector once, so that it applies its migrations.",
        NpgsqlException postgres => $"PostgreSQL: {postgres.Message}",
        OptionsValidationException options => $"the settings are not valid: {string.Join(" ", options.Failures)}",
        IOException or UnauthorizedAccessException => error.Message,
        _ => CommandLineConventions.Unexpected(error),
    };

    private sealed record CommandContext(IReadOnlyDictionary<string, string?>? Settings, TextWriter Output)
    {
        public WebApplication BuildHost() => CollectorHost.Build(Settings);
    }

    private static Command IngestCommand(CommandContext context, TextWriter errors)
    {
        var path = new Argument<string>("PATH") { Description = "A dump file or a folder of them (NDJSON, plain, zstd or gzip)." };
        var command = new Command("ingest", "Read a dump file or folder through validation into the work queues (resumable).") { path };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var target = parsed.GetRequiredValue(path);
            if (!File.Exists(target) && !Directory.Exists(target))
            {
                throw new UsageException($"No such file or folder: {Path.GetFullPath(target)}");
            }

            await using var app = context.BuildHost();
            var summary = await app.Services.GetRequiredService<DumpIngestion>().IngestAsync(target, cancellationToken);
            await context.Output.WriteLineAsync($"{summary.Records} records: {summary.Queued} queued, {summary.Invalid} parked in {RedisKeys.FailedQueue}");
            if (summary.Created is var (earliest, latest))
            {
                // The API and the dashboard show the last 30 days unless asked otherwise: say which range shows these.
                var from = earliest.UtcDateTime.Date;
                var to = latest.UtcDateTime.Date.AddDays(1);
                await context.Output.WriteLineAsync(
                    $"created {from:yyyy-MM-dd} to {latest.UtcDateTime:yyyy-MM-dd}; reads default to the last 30 days: to see these, ask for ?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
            }

            if (summary.Skipped.Count > 0)
            {
                await errors.WriteLineAsync(
                    $"skipped {summary.Skipped.Count} files that are not dumps ({string.Join(", ", DumpFiles.Extensions)}): {string.Join(", ", summary.Skipped.Select(Path.GetFileName))}");
            }

            foreach (var unfinished in summary.Unfinished)
            {
                await errors.WriteLineAsync(
                    $"{unfinished.File} is unreadable after byte {unfinished.Offset:N0} of its data ({unfinished.Reason}); the rest is not ingested, and a later run resumes there");
            }

            return summary.Unfinished.Count > 0 ? CommandLineConventions.Failed : 0;
        });
        return command;
    }

    private static Command FetchCommand(CommandContext context, TextWriter errors)
    {
        var subreddit = new Option<string>("--subreddit") { Description = "The subreddit, without r/.", Required = true };
        var kind = new Option<string>("--kind") { Description = "posts or comments.", Required = true };
        kind.AcceptOnlyFromAmong("posts", "comments");
        var limit = new Option<int>("--limit") { Description = "Listing children to write, 1 to 100,000.", Required = true };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 100_000)
            {
                result.AddError("--limit must be 1 to 100000.");
            }
        });
        var output = new Option<FileInfo>("--output") { Description = "The NDJSON file to write (dump format, so ingest reads it).", Required = true };
        var sort = new Option<string>("--sort") { Description = "Which listing of posts: new (default), hot, top, controversial or rising.", DefaultValueFactory = _ => "new" };
        sort.AcceptOnlyFromAmong([.. ListingQuery.PostSorts]);
        var time = new Option<string?>("--time") { Description = "The period of top and controversial: hour, day, week, month, year or all (Reddit's default: day)." };
        time.AcceptOnlyFromAmong([.. ListingQuery.Periods]);
        var command = new Command("fetch", "Fetch a subreddit's posts (newest, or another listing) or newest comments from the Reddit API into an NDJSON file.")
        {
            subreddit, kind, limit, output, sort, time,
        };
        command.Validators.Add(result =>
        {
            var sortValue = result.GetValue(sort) ?? "new";
            if (sortValue != "new" && result.GetValue(kind) == "comments")
            {
                result.AddError("--sort applies to posts; comments have only the newest-first listing.");
            }

            if (result.GetValue(time) is not null && !ListingQuery.TakesPeriod(sortValue))
            {
                result.AddError("--time applies to --sort top and --sort controversial.");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var app = context.BuildHost();
            RequireRedditSettings(app, "fetch");
            var itemKind = parsed.GetRequiredValue(kind) == "posts" ? RedditItemKind.Post : RedditItemKind.Comment;
            var name = parsed.GetRequiredValue(subreddit);
            var file = parsed.GetRequiredValue(output);
            var client = app.Services.GetRequiredService<RedditClient>();
            var path = itemKind == RedditItemKind.Post ? $"/r/{name}/{parsed.GetValue(sort) ?? "new"}" : SubredditPoller.ListingPath(name, itemKind);
            await using var stream = file.Create();
            var result = await ListingWriter.WriteAsync(client, path, parsed.GetValue(limit), stream, errors, cancellationToken, parsed.GetValue(time));
            var notes = new List<string>();
            if (result.Unmapped > 0)
            {
                notes.Add($"{result.Unmapped} did not map: written as Reddit sent them, so ingest parks them with the reason");
            }

            if (result.Duplicates > 0)
            {
                notes.Add($"{result.Duplicates} repeated by Reddit's paging left out");
            }

            if (result.EndedEarly is { } why)
            {
                notes.Add(why);
            }

            var note = notes.Count == 0 ? "" : $" ({string.Join("; ", notes)})";
            await context.Output.WriteLineAsync($"{result.Written} {parsed.GetValue(kind)} of r/{name} written to {file.FullName}{note}");
            return 0;
        });
        return command;
    }

    private static Command FetchThreadCommand(CommandContext context, TextWriter errors)
    {
        var post = new Option<string>("--post") { Description = "The post's id (abc123 or t3_abc123).", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "The NDJSON file to write (dump format, so ingest reads it).", Required = true };
        var command = new Command("fetch-thread",
            "Fetch a post and its whole comment tree (more links expanded, within Reddit:Threads:MaxRequestsPerThread) into an NDJSON file.")
        {
            post, output,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var postId = parsed.GetRequiredValue(post);
            postId = postId.StartsWith("t3_", StringComparison.Ordinal) ? postId[3..] : postId;
            if (!Fullname.TryGetOrdinal(postId, out _))
            {
                throw new UsageException($"'{parsed.GetRequiredValue(post)}' is not a post id (base 36, like 1abc2d).");
            }

            await using var app = context.BuildHost();
            RequireRedditSettings(app, "fetch-thread");
            var file = parsed.GetRequiredValue(output);
            var thread = await app.Services.GetRequiredService<ThreadReader>().ReadAsync(null, postId, cancellationToken);
            await using var stream = file.Create();
            var lines = 0;
            var unmapped = 0;
            foreach (var child in thread.Post is null ? thread.Comments : thread.Comments.Prepend(thread.Post))
            {
                unmapped += await ListingWriter.WriteLineAsync(child, stream, errors) ? 0 : 1;
                lines++;
            }

            var notes = new List<string> { $"{thread.Requests} requests" };
            if (thread.Unread > 0)
            {
                notes.Add($"{thread.Unread} comments left unread at the request cap");
            }

            if (unmapped > 0)
            {
                notes.Add($"{unmapped} did not map: written as Reddit sent them, so ingest parks them with the reason");
            }

            await context.Output.WriteLineAsync(
                $"{(thread.Post is null ? 0 : 1)} post and {thread.Comments.Count} comments of t3_{postId} written to {file.FullName} ({string.Join("; ", notes)})");
            return 0;
        });
        return command;
    }

    private static void RequireRedditSettings(WebApplication app, string command)
    {
        if (!Extensions.Extensions.IsRedditConfigured(app.Configuration))
        {
            throw new UsageException($"{command} needs the Reddit API settings: Reddit__ClientId, Reddit__ClientSecret, Reddit__AppId, Reddit__RedditUser (see docs/collector.md).");
        }
    }

    private static Command CheckRollupsCommand(CommandContext context, TextWriter errors)
    {
        var repair = new Option<bool>("--repair") { Description = "Rebuild the rollups from the items first (writers wait meanwhile)." };
        var command = new Command("check-rollups", "Compare the sentiment and keyword rollups with a recomputation from the stored items; exit 1 when they differ.")
        {
            repair,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            await using var app = context.BuildHost();
            var check = app.Services.GetRequiredService<RollupCheck>();
            if (parsed.GetValue(repair))
            {
                await check.RebuildAsync(cancellationToken);
                await context.Output.WriteLineAsync("rebuilt the rollups from the items");
            }

            var result = await check.CheckAsync(cancellationToken);
            if (result.DifferenceCount == 0)
            {
                await context.Output.WriteLineAsync($"rollups agree with a recomputation from the items ({result.Buckets:N0} rollup rows)");
                return 0;
            }

            foreach (var difference in result.Differences)
            {
                await errors.WriteLineAsync($"  {difference}");
            }

            await errors.WriteLineAsync(
                $"{result.DifferenceCount:N0} rollup rows of {result.Buckets:N0} differ from a recomputation (first {result.Differences.Count} above); `check-rollups --repair` rebuilds them");
            return CommandLineConventions.Failed;
        });
        return command;
    }
}

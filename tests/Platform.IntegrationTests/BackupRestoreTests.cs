using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Collector.Model;
using Collector.Queues;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// <c>scripts/backup</c> while the workers are storing a backlog, then <c>scripts/restore</c> into a fresh
/// PostgreSQL server (started by the AppHost's own local-server script): everything stored before the backup began
/// is in the restored database, nothing that was not stored is, and the restored tables are whole.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class BackupRestoreTests(PlatformFixture platform) : IAsyncLifetime
{
    private const int Items = 3000;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);

    private readonly string _folder = Directory.CreateTempSubdirectory("backup-restore-").FullName;
    private NpgsqlConnectionStringBuilder _source = null!;
    private NpgsqlDataSource _database = null!;
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync()
    {
        _source = new NpgsqlConnectionStringBuilder((await platform.App.GetConnectionStringAsync(ResourceNames.Database))!);
        _database = NpgsqlDataSource.Create(_source.ConnectionString);
        _redis = await ConnectionMultiplexer.ConnectAsync((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
    }

    [Fact]
    public async Task A_backup_taken_while_items_are_stored_restores_into_a_fresh_server_with_everything_it_saw()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var subreddit = $"backup{run}";
        var db = _redis.GetDatabase();
        await db.ListLeftPushAsync(RedisKeys.CommentsQueue, [.. Enumerable.Range(0, Items).Select(i =>
            (RedisValue)TestItems.Envelope(RedditItemKind.Comment, $"b{run}{i}", $"comment {i}, a fine one", subreddit).Serialize())]);
        Assert.True(await Eventually.HoldsAsync(async _ => await StoredIdsAsync(_database, subreddit) is { Count: > 0 }, Deadline));

        var storedBefore = await StoredIdsAsync(_database, subreddit);
        var file = (await RunAsync(SourceEnvironment(), "backup", "--output", Path.Combine(_folder, "backups"))).Trim();
        Assert.True(await Eventually.HoldsAsync(async _ => (await StoredIdsAsync(_database, subreddit)).Count == Items, Deadline));
        Assert.StartsWith(Path.Combine(_folder, "backups", _source.Database!), file);

        await using var fresh = await FreshServer.StartAsync(_folder, _source.Database!, _source.Username!);
        var summary = await RunAsync(fresh.Environment, "restore", file);

        var restored = await StoredIdsAsync(fresh.Database, subreddit);
        Assert.Superset(storedBefore, restored); // everything stored before the backup began
        Assert.Subset(Enumerable.Range(0, Items).Select(i => $"b{run}{i}").ToHashSet(), restored); // nothing else
        Assert.Matches(@"^posts \d+ ", summary);
        Assert.Contains("\ncomments ", summary);
        await using var counts = fresh.Database.CreateCommand("SELECT count(*) FROM reddit_comments");
        Assert.Contains($"\ncomments {(long)(await counts.ExecuteScalarAsync())!} ", summary);
    }

    [Fact]
    public async Task The_clusters_scheduled_backup_dumps_the_database_whole_and_keeps_the_newest()
    {
        // The CronJob's own script (manifests/base/postgres-backup.yaml), here against the test server, keeping two.
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "scheduled")).FullName;
        var (oldest, older) = (Path.Combine(folder, "reddit_sentiment-20260101T031500Z.dump"), Path.Combine(folder, "reddit_sentiment-20260102T031500Z.dump"));
        await File.WriteAllTextAsync(oldest, "an old dump");
        await File.WriteAllTextAsync(older, "a newer dump");
        File.SetLastWriteTimeUtc(oldest, DateTime.UtcNow.AddDays(-2));
        File.SetLastWriteTimeUtc(older, DateTime.UtcNow.AddDays(-1));

        var output = await Repository.RunAsync("/bin/sh", SourceEnvironment().Concat([new("BACKUP_DIR", folder), new("KEEP", "2")]),
            "-c", Manifests.Generator.Kubernetes.BackupObjects.Script);

        var files = Directory.GetFiles(folder).Order().ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(older, files[0]);
        Assert.Contains($"backed up {_source.Database} to {files[1]}; kept the newest 2", output);
        var contents = await Repository.RunAsync("/usr/bin/pg_restore", [], "--list", files[1]);
        Assert.Contains("TABLE DATA public sentiment_rollup_daily", contents);
        Assert.Contains("TABLE public reddit_comments", contents);
    }

    private Dictionary<string, string> SourceEnvironment() => new()
    {
        ["PGHOST"] = _source.Host!,
        ["PGPORT"] = _source.Port.ToString(),
        ["PGUSER"] = _source.Username!,
        ["PGPASSWORD"] = _source.Password!,
        ["PGDATABASE"] = _source.Database!,
    };

    private static async Task<HashSet<string>> StoredIdsAsync(NpgsqlDataSource database, string subreddit)
    {
        await using var command = database.CreateCommand("SELECT id FROM reddit_comments WHERE subreddit = @s");
        command.Parameters.AddWithValue("s", subreddit);
        var ids = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static Task<string> RunAsync(Dictionary<string, string> environment, string script, params string[] arguments) =>
        Repository.RunScriptAsync(script, environment, arguments);

    /// <summary>A PostgreSQL server of its own, run by the AppHost's local-server script, with an empty application database.</summary>
    private sealed class FreshServer : IAsyncDisposable
    {
        private readonly Process _process;

        private FreshServer(Process process, NpgsqlConnectionStringBuilder connection)
        {
            _process = process;
            Database = NpgsqlDataSource.Create(connection.ConnectionString);
            Environment = new()
            {
                ["PGHOST"] = connection.Host!,
                ["PGPORT"] = connection.Port.ToString(),
                ["PGUSER"] = connection.Username!,
                ["PGPASSWORD"] = connection.Password!,
                ["PGDATABASE"] = connection.Database!,
            };
        }

        public NpgsqlDataSource Database { get; }

        public Dictionary<string, string> Environment { get; }

        public static async Task<FreshServer> StartAsync(string folder, string database, string user)
        {
            var port = FreePort();
            var password = $"Aa{Guid.NewGuid():N}";
            // The server runs as the postgres user when the tests run as root: it must be able to reach its folder.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                    UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            var start = new ProcessStartInfo(Path.Combine(Repository.Root, "AppHost", "Infrastructure", "Local", "postgres-server.sh"))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["PGDATA_DIR"] = Path.Combine(folder, "fresh-postgres");
            start.Environment["PGPORT"] = port.ToString();
            start.Environment["APP_DB_NAME"] = database;
            start.Environment["APP_DB_USER"] = user;
            start.Environment["APP_DB_PASSWORD"] = password;
            var process = Process.Start(start)!;
            var ready = new TaskCompletionSource();
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data?.StartsWith("PostgreSQL is ready", StringComparison.Ordinal) == true)
                {
                    ready.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await ready.Task.WaitAsync(Deadline);

            var connection = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = user, Password = password, Database = database };
            return new FreshServer(process, connection);
        }

        public async ValueTask DisposeAsync()
        {
            await Database.DisposeAsync();
            using var stop = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await stop.WaitForExitAsync();
            await _process.WaitForExitAsync().WaitAsync(Deadline);
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _redis.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace Platform.IntegrationTests;

/// <summary>
/// The README's first ten minutes, run literally: the project's own scripts (credentials, a token, scoring a
/// text, loading a dump that then shows, checking the rollups), pointed at the tests' app through the environment variables the
/// scripts document instead of the local run's ports and user secrets.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class FirstTenMinutesTests(PlatformFixture platform)
{
    private Dictionary<string, string> Environment() => new()
    {
        ["GATEWAY_URL"] = platform.App.GetEndpoint(ResourceNames.Gateway, "http").ToString().TrimEnd('/'),
        ["IDENTITY_URL"] = platform.App.GetEndpoint(ResourceNames.Identity, "http").ToString().TrimEnd('/'),
        ["SENTIMENT_ADMIN_PASSWORD"] = platform.Identity.AdminPassword,
        ["SENTIMENT_SERVICE_SECRET"] = platform.Identity.ServiceClientSecret,
        ["SENTIMENT_BULK_SECRET"] = platform.Identity.BulkClientSecret,
    };

    [Fact]
    public async Task Credentials_a_token_and_a_score_come_from_one_command_each()
    {
        var credentials = await RunAsync("credentials");
        Assert.Contains($"user admin   password {platform.Identity.AdminPassword}", credentials);

        var token = (await RunAsync("token")).Trim();
        Assert.Equal(3, token.Split('.').Length); // a JWT, alone on its line: TOKEN=$(./scripts/token) works
        Assert.Equal(3, (await RunAsync("token", "--client", "bulk")).Trim().Split('.').Length);

        var scored = (await RunAsync("score", "--model", "fast", "I love this, great work!", "This is awful.")).Trim().Split('\n');
        Assert.StartsWith("positive", scored[0]);
        Assert.StartsWith("negative", scored[1]);
        Assert.EndsWith("This is awful.", scored[1]);
    }

    [Fact]
    public async Task A_loaded_dump_says_which_range_shows_it_and_that_range_does()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var folder = Directory.CreateTempSubdirectory("first-ten-minutes-").FullName;
        try
        {
            var created = new DateTimeOffset(2009, 9, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
            await File.WriteAllLinesAsync(Path.Combine(folder, "RC_2009-09.ndjson"), Enumerable.Range(0, 3).Select(i =>
                $$"""{"id":"f{{run}}{{i}}","link_id":"t3_f{{run}}","subreddit":"tenminutes{{run}}","author":"u","body":"a fine comment","created_utc":{{created + i * 3600}}}"""));
            var environment = new Dictionary<string, string>
            {
                ["ConnectionStrings__redis"] = (await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!,
            };

            var output = await RunAsync(environment, "collector", "ingest", folder);

            Assert.Contains("3 records: 3 queued", output);
            Assert.Contains("ask for ?from=2009-09-01&to=2009-09-02", output);
            using var http = await platform.GatewayClientAsync(Caller.Admin);
            Assert.True(await Eventually.HoldsAsync(async ct =>
            {
                var listed = await http.GetStringAsync("/api/v1/subreddits?from=2009-09-01&to=2009-09-02", ct);
                return listed.Contains($"tenminutes{run}", StringComparison.Ordinal);
            }, TimeSpan.FromMinutes(2)), "the loaded items do not show in the range the load printed");

            // The runbook's check of the rollups those reads came from, found through PG* variables as psql's.
            var database = new Npgsql.NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync(ResourceNames.Database));
            var check = await RunAsync(new Dictionary<string, string>
            {
                ["PGHOST"] = database.Host!, ["PGPORT"] = $"{database.Port}", ["PGUSER"] = database.Username!,
                ["PGPASSWORD"] = database.Password!, ["PGDATABASE"] = database.Database!,
            }, "collector", "check-rollups");
            Assert.Contains("rollups agree with a recomputation from the items", check);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private Task<string> RunAsync(string script, params string[] arguments) => RunAsync([], script, arguments);

    private Task<string> RunAsync(Dictionary<string, string> extra, string script, params string[] arguments) =>
        Repository.RunScriptAsync(script, Environment().Concat(extra), arguments);
}

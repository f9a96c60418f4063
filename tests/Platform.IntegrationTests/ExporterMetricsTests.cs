using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.Testing;
using Manifests.Generator;
using Manifests.Generator.Mapping;
using Manifests.Generator.Observability;
using Npgsql;
using StackExchange.Redis;

namespace Platform.IntegrationTests;

/// <summary>
/// The PostgreSQL and Redis metrics the Kubernetes kit's alerts read (<c>pg_*</c>, <c>redis_*</c>) are ones the
/// exporters really export: Debian's postgres-exporter and redis_exporter (installed by ./scripts/setup; the
/// manifests run the same projects' images as sidecars) are run against this run's servers and scraped.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ExporterMetricsTests(PlatformFixture platform)
{
    public static TheoryData<string> Exporters => new(nameof(MetricSource.PostgresExporter), nameof(MetricSource.RedisExporter));

    [Theory]
    [MemberData(nameof(Exporters))]
    public async Task Every_exporter_metric_of_the_kit_is_exported(string exporter)
    {
        var source = Enum.Parse<MetricSource>(exporter);
        var mapping = PlatformMapping.Load(Path.Combine(RepositoryLayout.FindRoot(AppContext.BaseDirectory), RepositoryLayout.MappingPath));
        var used = KitMetrics.Used(mapping).Keys.Where(m => KitMetrics.SourceOf(m) == source).ToList();
        Assert.NotEmpty(used);

        var port = FreePort();
        var start = source == MetricSource.PostgresExporter
            ? await PostgresExporterAsync(port)
            : await RedisExporterAsync(port);
        if (start is null)
        {
            Assert.Fail($"the {exporter} binary is not installed: ./scripts/setup installs it");
        }

        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient();
            var body = "";
            var exported = await Eventually.HoldsAsync(async ct =>
            {
                body = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics", ct);
                var names = body.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])]).ToHashSet();
                return used.All(names.Contains) && body.Contains(source == MetricSource.PostgresExporter ? "pg_up 1" : "redis_up 1");
            }, TimeSpan.FromSeconds(60));

            Assert.True(exported, $"{exporter} lacks some of {string.Join(", ", used)}:\n{body[..Math.Min(body.Length, 3000)]}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private async Task<ProcessStartInfo?> PostgresExporterAsync(int port)
    {
        if (Which("prometheus-postgres-exporter") is not { } binary)
        {
            return null;
        }

        var connection = new NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync(ResourceNames.Database));
        var start = Quiet(new ProcessStartInfo(binary, [$"--web.listen-address=127.0.0.1:{port}"]));
        start.Environment["DATA_SOURCE_URI"] = $"{connection.Host}:{connection.Port}/{connection.Database}?sslmode=disable";
        start.Environment["DATA_SOURCE_USER"] = connection.Username;
        start.Environment["DATA_SOURCE_PASS"] = connection.Password;
        return start;
    }

    private async Task<ProcessStartInfo?> RedisExporterAsync(int port)
    {
        if (Which("prometheus-redis-exporter") is not { } binary)
        {
            return null;
        }

        var options = ConfigurationOptions.Parse((await platform.App.GetConnectionStringAsync(ResourceNames.Redis))!);
        var endpoint = (DnsEndPoint)options.EndPoints.Single();
        var start = Quiet(new ProcessStartInfo(binary, ["-redis.addr", $"redis://{endpoint.Host}:{endpoint.Port}", "-web.listen-address", $"127.0.0.1:{port}"]));
        start.Environment["REDIS_PASSWORD"] = options.Password;
        return start;
    }

    /// <summary>The exporter's own logs are read and dropped, so they stay out of the test output.</summary>
    private static ProcessStartInfo Quiet(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    private static string? Which(string command) =>
        Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator).Select(folder => Path.Combine(folder, command)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Benchmarks;

/// <summary>
/// HTTP load from wrk (installed by <c>scripts/setup</c>): a closed loop of keep-alive connections on a few
/// epoll threads, the usual tool for "p99 at N connections". On two cores the load generator shares the CPU
/// with the whole app; wrk spends a small fraction of what a .NET HttpClient loop does per request (measured
/// here: with the HttpClient loop in this process, half the REST tail was the loop's own thread hops), so the
/// figures are the Gateway's. The token travels in the environment, not on a command line others can read.
/// </summary>
public static class WrkLoad
{
    /// <summary>Prints one JSON line of figures when wrk is done (latencies in microseconds).</summary>
    private const string Script = """
        wrk.headers["Authorization"] = "Bearer " .. os.getenv("WRK_BEARER_TOKEN")
        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format(
            '{"requests":%d,"duration_us":%d,"errors":%d,"non_2xx":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
            summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
            latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
        end
        """;

    public sealed record Result(
        long Requests, [property: JsonPropertyName("duration_us")] long DurationUs, long Errors,
        [property: JsonPropertyName("non_2xx")] long Non2xx,
        [property: JsonPropertyName("p50_us")] long P50Us, [property: JsonPropertyName("p90_us")] long P90Us,
        [property: JsonPropertyName("p99_us")] long P99Us, [property: JsonPropertyName("max_us")] long MaxUs)
    {
        public double RequestsPerSecond => Requests / (DurationUs / 1e6);
    }

    public static bool Installed() => File.Exists("/usr/bin/wrk") || Environment.GetEnvironmentVariable("PATH")!
        .Split(Path.PathSeparator).Any(directory => File.Exists(Path.Combine(directory, "wrk")));

    /// <summary>Runs wrk against <paramref name="url"/>; fails when any request failed or was not a 2xx.</summary>
    public static async Task<Result> RunAsync(Uri url, string bearerToken, int connections, int threads, TimeSpan duration)
    {
        var script = Path.Combine(Path.GetTempPath(), $"bench-wrk-{Environment.ProcessId}.lua");
        await File.WriteAllTextAsync(script, Script);
        try
        {
            var start = new ProcessStartInfo("wrk",
                [$"-t{Math.Min(threads, connections)}", $"-c{connections}", $"-d{Math.Max(1, (int)duration.TotalSeconds)}s", "--timeout", "10s", "-s", script, url.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["WRK_BEARER_TOKEN"] = bearerToken;
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("could not start wrk");
            var output = wrk.StandardOutput.ReadToEndAsync();
            var errors = wrk.StandardError.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var line = (await output).Split('\n').LastOrDefault(l => l.StartsWith('{'))
                ?? throw new InvalidOperationException($"wrk printed no figures (exit {wrk.ExitCode}): {await errors}{await output}");
            var result = JsonSerializer.Deserialize<Result>(line, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
            if (result.Errors > 0 || result.Non2xx > 0 || result.Requests == 0)
            {
                throw new InvalidOperationException($"wrk: {result.Requests} requests, {result.Errors} socket errors, {result.Non2xx} not 2xx");
            }

            return result;
        }
        finally
        {
            File.Delete(script);
        }
    }
}

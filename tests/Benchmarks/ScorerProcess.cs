using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using RedditSentiment.Testing;

namespace Benchmarks;

/// <summary>
/// The Scorer as its own process on loopback (the Release build beside this benchmark), as the Collector
/// and the Gateway reach it: gRPC over h2c on one port, health on another.
/// </summary>
public sealed class ScorerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ScorerProcess(Process process, Uri grpc, Uri http)
    {
        _process = process;
        GrpcAddress = grpc;
        HttpAddress = http;
    }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    /// <summary>CPU time the Scorer process has used so far (user and system, all threads).</summary>
    public TimeSpan TotalProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ScorerProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var configuration = typeof(ScorerProcess).Assembly.IsDebugBuild() ? "Debug" : "Release";
        var dll = Path.Combine(RepositoryRoot.Folder, "Scorer", "bin", configuration, "net10.0", "Scorer.dll");
        var http = new Uri($"http://127.0.0.1:{FreePort()}");
        var grpc = new Uri($"http://127.0.0.1:{FreePort()}");

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Kestrel__Endpoints__http__Url"] = http.ToString();
        start.Environment["Kestrel__Endpoints__grpc__Url"] = grpc.ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {dll}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[scorer] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var scorer = new ScorerProcess(process, grpc, http);
        await scorer.WaitUntilReadyAsync(TimeSpan.FromMinutes(3));
        return scorer;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = HttpAddress };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the Scorer exited with code {_process.ExitCode}");
            }

            try
            {
                if ((await client.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the Scorer did not become ready");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

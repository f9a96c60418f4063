using System.CommandLine;

namespace Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- &lt;benchmark&gt; [options]</c>, one sub-command per benchmark
/// (<c>--help</c> lists them, <c>&lt;benchmark&gt; --help</c> its options). Each benchmark prints a table and, as its
/// last line, one JSON object with its figures. Errors and exit codes as every command line of the project
/// (<see cref="CommandLineConventions"/>): 1 failed, 2 usage error, one line on stderr (<c>--verbose</c>: the stack trace).
/// </summary>
public static class BenchmarkProgram
{
    public static Task<int> Main(string[] args) =>
        CommandLineConventions.RunAsync(
            new RootCommand("The platform's benchmarks: figures come from here, never from timed tests (docs/benchmarks.md).")
            {
                FastModelBenchmark.Create(),
                BatchCostBenchmark.Create(),
                ScorerBenchmark.Create(),
                PipelineBenchmark.Create(),
                GatewayBenchmark.Create(),
                ReadsBenchmark.Create(),
            },
            args,
            Describe);

    private static string Describe(Exception error) => error switch
    {
        // The rig's own failures say what went wrong: no corpus (--input), the Scorer or wrk exiting, a service not ready.
        IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException => error.Message,
        _ => CommandLineConventions.Unexpected(error),
    };
}

using Spectre.Console;

namespace Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Benchmarks -- &lt;benchmark&gt; [options]</c>. Each benchmark prints a
/// table and, as its last line, one JSON object with its figures.
/// </summary>
public static class BenchmarkProgram
{
    private static readonly Dictionary<string, Func<BenchmarkArguments, Task<int>>> Benchmarks =
        new(StringComparer.OrdinalIgnoreCase)
        {
            ["fast"] = FastModelBenchmark.RunAsync,
            ["batch-cost"] = BatchCostBenchmark.RunAsync,
            ["scorer"] = ScorerBenchmark.RunAsync,
            ["pipeline"] = PipelineBenchmark.RunAsync,
            ["gateway"] = GatewayBenchmark.RunAsync,
            ["reads"] = ReadsBenchmark.RunAsync,
        };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var run))
        {
            AnsiConsole.MarkupLine($"usage: Benchmarks <{string.Join("|", Benchmarks.Keys)}> [--option value ...]");
            return 2;
        }

        if (typeof(BenchmarkProgram).Assembly.IsDebugBuild())
        {
            AnsiConsole.MarkupLine("[yellow]warning:[/] a Debug build; figures are only meaningful with -c Release");
        }

        return await run(BenchmarkArguments.Parse(args[1..]));
    }
}

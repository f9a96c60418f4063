using System.CommandLine;
using ModelTools.Data;

namespace ModelTools.Cli;

/// <summary>
/// The tool's command line: <c>prepare</c> and <c>evaluate</c>. Exit codes: 0 done, 1 failed (one line on
/// stderr saying why; <c>--verbose</c> adds the stack trace), 2 usage error.
/// </summary>
public static class ModelToolsCommandLine
{
    public const int Failed = 1;
    public const int Usage = 2;

    private static readonly Option<bool> Verbose = new("--verbose") { Description = "Print the stack trace of a failure.", Recursive = true };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Tooling of the accurate sentiment model: training data and evaluation.")
        {
            PrepareCommand.Create(),
            EvaluateCommand.Create(),
            ReportCommand.Create(),
        };
        root.Options.Add(Verbose);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }

            await Console.Error.WriteLineAsync("Run with --help for usage.");
            return Usage;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            return await parsed.InvokeAsync(cancellationToken: cancel.Token);
        }
        catch (Exception error) when (IsExpected(error))
        {
            await Console.Error.WriteLineAsync(parsed.GetValue(Verbose) ? error.ToString() : $"error: {error.Message}");
            return error is UsageException ? Usage : Failed;
        }
    }

    private static bool IsExpected(Exception error) =>
        error is UsageException or IOException or UnauthorizedAccessException or InvalidDataException or TsvFormatException
            or OperationCanceledException or InvalidOperationException;
}

/// <summary>A command line that parsed but asks for something impossible (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

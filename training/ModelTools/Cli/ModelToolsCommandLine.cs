using System.CommandLine;
using ModelTools.Data;

namespace ModelTools.Cli;

/// <summary>
/// The tool's command line: <c>prepare</c>, <c>evaluate</c>, <c>report</c> and <c>score</c>. Exit codes and errors as every
/// command line of the project (<see cref="CommandLineConventions"/>): 0 done, 1 failed (one line on stderr;
/// <c>--verbose</c> adds the stack trace), 2 usage error, 130 interrupted.
/// </summary>
public static class ModelToolsCommandLine
{
    public static Task<int> RunAsync(string[] args) =>
        CommandLineConventions.RunAsync(
            new RootCommand("Tooling of the accurate sentiment model: training data, evaluation and the dev report.")
            {
                PrepareCommand.Create(),
                EvaluateCommand.Create(),
                ReportCommand.Create(),
                ScoreCommand.Create(),
            },
            args,
            Describe);

    private static string Describe(Exception error) => error switch
    {
        IOException or UnauthorizedAccessException or InvalidDataException or TsvFormatException => error.Message,
        _ => CommandLineConventions.Unexpected(error),
    };
}

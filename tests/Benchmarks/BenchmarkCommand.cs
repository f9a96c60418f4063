using System.CommandLine;
using Spectre.Console;

namespace Benchmarks;

/// <summary>
/// What every benchmark's sub-command has alike: <c>--input</c>, the texts it draws from (<see cref="Corpus"/>),
/// and a warning when it runs from a Debug build, whose figures mean nothing.
/// </summary>
public static class BenchmarkCommand
{
    /// <summary>The sub-command <paramref name="name"/> with <paramref name="options"/> and <c>--input</c>; <paramref name="run"/> gets the parsed line and the input.</summary>
    public static Command Create(string name, string description, Option[] options, Func<ParseResult, string?, Task<int>> run)
    {
        var input = new Option<string?>("--input")
        {
            Description = $"The texts: a TSV file with a header, text first (default: {Corpus.DefaultRelativePath} from the repository root).",
            HelpName = "FILE",
        };
        var command = new Command(name, description);
        foreach (var option in options.Append(input))
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parsed, _) =>
        {
            if (typeof(BenchmarkCommand).Assembly.IsDebugBuild())
            {
                AnsiConsole.MarkupLine("[yellow]warning:[/] a Debug build; figures are only meaningful with -c Release");
            }

            return await run(parsed, parsed.GetValue(input));
        });
        return command;
    }
}

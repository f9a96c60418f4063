using System.CommandLine;

namespace RedditSentiment.Contracts;

/// <summary>
/// What every command line of the project does alike (the Collector's, the model tooling's): parse errors and
/// impossible requests exit with <see cref="Usage"/>, failures with <see cref="Failed"/>, Ctrl-C with
/// <see cref="Interrupted"/>; each prints one line on stderr, and the stack trace only with <c>--verbose</c>.
/// </summary>
public static class CommandLineConventions
{
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    /// <summary>
    /// Parses and runs <paramref name="root"/> (to which <c>--verbose</c> is added). <paramref name="describe"/>
    /// turns a failure into its one line, in the user's terms; a <see cref="UsageException"/> is described by its
    /// message and exits with <see cref="Usage"/>.
    /// </summary>
    public static async Task<int> RunAsync(
        RootCommand root, string[] args, Func<Exception, string> describe, TextWriter? output = null, TextWriter? errors = null, string? interrupted = null)
    {
        output ??= Console.Out;
        errors ??= Console.Error;
        var verbose = new Option<bool>("--verbose") { Description = "On failure, print the stack trace too.", Recursive = true };
        root.Options.Add(verbose);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync(error.Message);
            }

            await errors.WriteLineAsync("Run with --help for usage.");
            return Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = errors });
        }
        catch (OperationCanceledException)
        {
            await errors.WriteLineAsync(interrupted ?? "Stopped.");
            return Interrupted;
        }
        catch (Exception error)
        {
            var line = error is UsageException ? error.Message : describe(error);
            await errors.WriteLineAsync(parsed.GetValue(verbose) ? error.ToString() : $"error: {line}");
            return error is UsageException ? Usage : Failed;
        }
    }

    /// <summary>The last resort of a describer: the type and message, and where to find more.</summary>
    public static string Unexpected(Exception error) => $"{error.GetType().Name}: {error.Message} (run with --verbose for the stack trace)";
}

/// <summary>A command line that parsed but asks for something that cannot be done as asked (exit code 2).</summary>
public sealed class UsageException(string message) : Exception(message);

using System.Diagnostics;
using RedditSentiment.Testing;

namespace Platform.IntegrationTests;

/// <summary>The repository the tests run from: its scripts are run as a user would.</summary>
public static class Repository
{
    public static string Root => RepositoryRoot.Folder;

    /// <summary>Runs <c>scripts/{script}</c> from the repository root with these variables set; asserts it exits 0 and returns its output.</summary>
    public static Task<string> RunScriptAsync(string script, IEnumerable<KeyValuePair<string, string>> environment, params string[] arguments) =>
        RunAsync(Path.Combine(Root, "scripts", script), environment, arguments);

    /// <summary>Runs a program from the repository root with these variables set; asserts it exits 0 and returns its output.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<KeyValuePair<string, string>> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{Path.GetRelativePath(Root, program)} exited {process.ExitCode}: {await errors}");
        return await output;
    }
}

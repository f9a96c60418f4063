using System.Diagnostics;

namespace Manifests.UnitTests;

/// <summary>Prometheus's <c>promtool</c> (Debian package <c>prometheus</c>, installed by ./scripts/setup).</summary>
public static class PromTool
{
    public static readonly string? Path = Environment.GetEnvironmentVariable("PATH")?
        .Split(System.IO.Path.PathSeparator)
        .Select(folder => System.IO.Path.Combine(folder, "promtool"))
        .FirstOrDefault(File.Exists);

    /// <summary>Runs promtool in <paramref name="folder"/>; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("promtool is not installed"))
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }
}

/// <summary>A fact that is skipped, and says why, where promtool is not installed.</summary>
public sealed class PromToolFactAttribute : FactAttribute
{
    public PromToolFactAttribute()
    {
        if (PromTool.Path is null)
        {
            Skip = "promtool is not installed (./scripts/setup installs Debian's prometheus package for it)";
        }
    }
}

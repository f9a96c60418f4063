using System.Diagnostics;

namespace Manifests.UnitTests;

/// <summary><c>kubectl kustomize</c>, where kubectl is installed (./scripts/setup installs it when apt has it).</summary>
public static class Kubectl
{
    public static readonly string? Path = Environment.GetEnvironmentVariable("PATH")?
        .Split(System.IO.Path.PathSeparator)
        .Select(folder => System.IO.Path.Combine(folder, "kubectl"))
        .FirstOrDefault(File.Exists);

    public static async Task<string> KustomizeAsync(string folder)
    {
        var start = new ProcessStartInfo(Path ?? throw new InvalidOperationException("kubectl is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(folder);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kubectl kustomize {folder} failed:\n{await errors}");
        // Deprecation notices and the like are warnings kustomize prints on stderr: none are expected.
        Assert.Equal("", (await errors).Trim());
        return await output;
    }
}

/// <summary>A fact that is skipped, and says why, where kubectl is not installed.</summary>
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = "kubectl is not installed (./scripts/setup installs it where apt has it)";
        }
    }
}

public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Path is null)
        {
            Skip = "kubectl is not installed (./scripts/setup installs it where apt has it)";
        }
    }
}

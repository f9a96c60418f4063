using System.Diagnostics;

namespace Manifests.UnitTests;

/// <summary>
/// <c>kubectl kustomize</c>, where a kubectl with kustomize v4 or later is installed. Debian's only package
/// (kubernetes-client 1.20) embeds kustomize v2.0.3, which predates the <c>resources</c>, <c>patches</c> and
/// <c>replicas</c> fields the overlays use, so ./scripts/setup does not install it and these tests say so.
/// </summary>
public static partial class Kubectl
{
    private static readonly string? Found = Environment.GetEnvironmentVariable("PATH")?
        .Split(System.IO.Path.PathSeparator)
        .Select(folder => System.IO.Path.Combine(folder, "kubectl"))
        .FirstOrDefault(File.Exists);

    /// <summary>Why the kustomize tests cannot run here, or null when they can.</summary>
    public static readonly string? Unusable = Check();

    public static string? Path => Unusable is null ? Found : null;

    private static string? Check()
    {
        if (Found is null)
        {
            return "kubectl is not installed (Debian's kubernetes-client 1.20 is too old for the overlays; see README.md, Deployment)";
        }

        var start = new ProcessStartInfo(Found) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("version");
        start.ArgumentList.Add("--client");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var version = KustomizeVersion().Match(output);
        return version.Success && int.Parse(version.Groups[1].Value) >= 4
            ? null
            : $"{Found} embeds no kustomize v4 or later (it says: {output.Trim().Replace('\n', ' ')})";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"Kustomize Version: v([0-9]+)\.")]
    private static partial System.Text.RegularExpressions.Regex KustomizeVersion();

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
        if (Kubectl.Unusable is { } reason)
        {
            Skip = reason;
        }
    }
}

public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute()
    {
        if (Kubectl.Unusable is { } reason)
        {
            Skip = reason;
        }
    }
}

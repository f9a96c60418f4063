using System.Diagnostics;

namespace Manifests.Generator.AppModel;

/// <summary>
/// Runs the AppHost's manifest publisher (the documented command
/// <c>dotnet run --project AppHost -- --publisher manifest --output-path FILE</c>) into a temporary folder.
/// </summary>
public static class AspirePublisher
{
    public static async Task<AspireManifest> PublishAsync(string repositoryRoot, bool build, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"aspire-manifest-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(folder);
        try
        {
            var output = Path.Combine(folder, "aspire-manifest.json");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = repositoryRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])["run", .. build ? Array.Empty<string>() : ["--no-build"], "--project", "AppHost",
                         "--", "--publisher", "manifest", "--output-path", output])
            {
                start.ArgumentList.Add(argument);
            }

            // Publishing never starts PostgreSQL or Redis; keep the AppHost's own logs out of ours.
            start.Environment["Logging__LogLevel__Default"] = "Warning";

            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException(
                    $"The AppHost's manifest publisher failed (exit {process.ExitCode}):\n{await stdout}\n{await stderr}");
            }

            return AspireManifest.Load(output);
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}

using System.Diagnostics;

namespace AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime Aspire would use whether it is healthy. A <c>docker</c> command that is
/// only a client (no engine) fails <c>docker info</c> at once, which is the case this probe exists for.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public static bool IsHealthy(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // Drain the pipes so a chatty runtime cannot block on a full buffer.
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }

    /// <summary>The runtime Aspire uses: <c>ASPIRE_CONTAINER_RUNTIME</c>, else docker.</summary>
    public static string ConfiguredRuntime(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        configuration["ASPIRE_CONTAINER_RUNTIME"] is { Length: > 0 } runtime ? runtime : "docker";
}

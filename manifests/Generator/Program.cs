using System.CommandLine;
using System.Text.Json;
using Manifests.Generator;
using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;
using Manifests.Generator.Output;

// Regenerates manifests/base, manifests/overlays, manifests/monitoring and manifests/secrets from the AppHost's
// app model (its Aspire manifest) and manifests/mapping.json. Errors and exit codes as every command line of the
// project (CommandLineConventions): 0 written or up to date, 1 out of date (--check) or failed, 2 usage error.
var check = new Option<bool>("--check") { Description = "Write nothing; exit 1 when the committed files differ from the generated ones." };
var noBuild = new Option<bool>("--no-build") { Description = "Publish the AppHost's manifest with the AppHost as already built." };
var aspireManifest = new Option<string?>("--aspire-manifest")
{
    Description = "Use an Aspire manifest written before instead of publishing the AppHost's.",
    HelpName = "FILE",
};
var command = new RootCommand(
    $"Writes the Kubernetes manifests and the monitoring kit from the AppHost's app model and {RepositoryLayout.MappingPath}.")
{
    check, noBuild, aspireManifest,
};
command.SetAction((parsed, cancellationToken) =>
    RegenerateAsync(parsed.GetValue(check), parsed.GetValue(noBuild), parsed.GetValue(aspireManifest), cancellationToken));
return await CommandLineConventions.RunAsync(command, args, Describe);

static async Task<int> RegenerateAsync(bool check, bool noBuild, string? manifestPath, CancellationToken cancellationToken)
{
    var root = RepositoryLayout.FindRoot();
    var mapping = PlatformMapping.Load(Path.Combine(root, RepositoryLayout.MappingPath));
    var manifest = manifestPath is not null
        ? AspireManifest.Load(manifestPath)
        : await AspirePublisher.PublishAsync(root, build: !noBuild, cancellationToken);

    var result = ManifestGenerator.Generate(manifest, mapping);
    foreach (var warning in result.Warnings)
    {
        Console.Error.WriteLine($"warning: {warning}");
    }

    var onDisk = RepositoryLayout.GeneratedFilesOnDisk(root).ToHashSet(StringComparer.Ordinal);
    var stale = onDisk.Where(path => !result.Files.ContainsKey(path)).ToList();
    var changed = result.Files.Where(f => !onDisk.Contains(f.Key) || File.ReadAllText(Path.Combine(root, f.Key)) != f.Value).Select(f => f.Key).ToList();

    if (check)
    {
        foreach (var path in changed)
        {
            Console.Error.WriteLine($"differs: {path}");
        }

        foreach (var path in stale)
        {
            Console.Error.WriteLine($"not generated any more: {path}");
        }

        Console.WriteLine(changed.Count + stale.Count == 0 ? "manifests are up to date" : $"manifests are out of date: run {GeneratedFile.RegenerateCommand}");
        return changed.Count + stale.Count == 0 ? 0 : CommandLineConventions.Failed;
    }

    foreach (var path in stale)
    {
        File.Delete(Path.Combine(root, path));
        Console.WriteLine($"removed  {path}");
    }

    foreach (var path in changed)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllTextAsync(full, result.Files[path], cancellationToken);
        Console.WriteLine($"wrote    {path}");
    }

    Console.WriteLine($"{result.Files.Count} files, {changed.Count} written, {stale.Count} removed");
    return 0;
}

// The generator's own failures (a mapping or app model it cannot map, the AppHost's publisher failing with its
// output, a missing file) already say what is wrong in the user's terms.
static string Describe(Exception error) => error switch
{
    InvalidDataException or KeyNotFoundException or JsonException or InvalidOperationException or IOException or UnauthorizedAccessException =>
        error.Message,
    _ => CommandLineConventions.Unexpected(error),
};

using Manifests.Generator;
using Manifests.Generator.AppModel;
using Manifests.Generator.Mapping;

// Regenerates manifests/base, manifests/overlays, manifests/monitoring and manifests/secrets from the AppHost's
// app model (its Aspire manifest) and manifests/mapping.json.
//   dotnet run --project manifests/Generator                       build and publish the AppHost's manifest, write
//   dotnet run --project manifests/Generator -- --check            exit 1 when the committed files differ
//   ... -- --aspire-manifest FILE                                  use an Aspire manifest written before
//   ... -- --no-build                                              publish with the AppHost as already built
var check = false;
var noBuild = false;
string? manifestPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--check":
            check = true;
            break;
        case "--no-build":
            noBuild = true;
            break;
        case "--aspire-manifest" when i + 1 < args.Length:
            manifestPath = args[++i];
            break;
        default:
            Console.Error.WriteLine("usage: dotnet run --project manifests/Generator [-- [--check] [--no-build] [--aspire-manifest FILE]]");
            return 2;
    }
}

var root = RepositoryLayout.FindRoot();
var mapping = PlatformMapping.Load(Path.Combine(root, RepositoryLayout.MappingPath));
var manifest = manifestPath is not null
    ? AspireManifest.Load(manifestPath)
    : await AspirePublisher.PublishAsync(root, build: !noBuild);

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

    Console.WriteLine(changed.Count + stale.Count == 0 ? "manifests are up to date" : "manifests are out of date: run dotnet run --project manifests/Generator");
    return changed.Count + stale.Count == 0 ? 0 : 1;
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
    await File.WriteAllTextAsync(full, result.Files[path]);
    Console.WriteLine($"wrote    {path}");
}

Console.WriteLine($"{result.Files.Count} files, {changed.Count} written, {stale.Count} removed");
return 0;

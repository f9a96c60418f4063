namespace Manifests.Generator;

/// <summary>Where things are in the repository.</summary>
public static class RepositoryLayout
{
    public const string MappingPath = "manifests/mapping.json";

    /// <summary>The repository root: the nearest folder above <paramref name="start"/> that holds Aspire.sln.</summary>
    public static string FindRoot(string? start = null)
    {
        for (var folder = new DirectoryInfo(start ?? Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Aspire.sln above {start ?? Directory.GetCurrentDirectory()}.");
    }

    /// <summary>The generated files on disk now, as repository-relative paths.</summary>
    public static IEnumerable<string> GeneratedFilesOnDisk(string root) =>
        ManifestGenerator.GeneratedFolders
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
}

namespace Manifests.Generator;

/// <summary>Where things are in the repository.</summary>
public static class RepositoryLayout
{
    public const string MappingPath = "manifests/mapping.json";

    /// <summary>
    /// The repository root: the nearest folder holding Aspire.sln above <paramref name="start"/>, or else above
    /// the current folder or this program's own (so the generator runs from anywhere).
    /// </summary>
    public static string FindRoot(string? start = null)
    {
        string[] starts = start is null ? [Directory.GetCurrentDirectory(), AppContext.BaseDirectory] : [start];
        foreach (var first in starts)
        {
            for (var folder = new DirectoryInfo(first); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"No Aspire.sln above {string.Join(" or ", starts)}.");
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

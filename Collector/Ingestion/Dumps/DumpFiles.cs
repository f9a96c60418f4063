using Collector.Model;

namespace Collector.Ingestion.Dumps;

/// <summary>Which files a dump folder holds, and what a file's name says about its contents.</summary>
public static class DumpFiles
{
    /// <summary>Extensions of dump files (compression itself is recognised by content, not by name).</summary>
    public static readonly IReadOnlyList<string> Extensions = [".ndjson", ".jsonl", ".json", ".zst", ".gz"];

    public static bool IsDumpFile(string path) =>
        Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The dump files of <paramref name="path"/> as full paths: the file itself, or the dump files directly in the
    /// folder, sorted by name (ordinal, so <c>RC_2005-12</c> comes before <c>RC_2006-01</c>).
    /// </summary>
    public static IReadOnlyList<string> List(string path)
    {
        if (File.Exists(path))
        {
            return [Path.GetFullPath(path)];
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No dump file or folder at '{path}'.", path);
        }

        return Directory.EnumerateFiles(Path.GetFullPath(path))
            .Where(IsDumpFile)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The files directly in folder <paramref name="path"/> that <see cref="List"/> leaves out; none for a file.</summary>
    public static IReadOnlyList<string> NotDumps(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(Path.GetFullPath(path)).Where(file => !IsDumpFile(file)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>
    /// The kind a dump file's name announces: Pushshift's <c>RC_*</c> / <c>RS_*</c>, Arctic Shift's
    /// <c>*_comments*</c> / <c>*_submissions*</c>; null when the name doesn't say.
    /// </summary>
    public static RedditItemKind? KindFromName(string path)
    {
        var name = Path.GetFileName(path);
        if (name.StartsWith("RC_", StringComparison.OrdinalIgnoreCase) || name.Contains("comments", StringComparison.OrdinalIgnoreCase))
        {
            return RedditItemKind.Comment;
        }

        if (name.StartsWith("RS_", StringComparison.OrdinalIgnoreCase) || name.Contains("submissions", StringComparison.OrdinalIgnoreCase))
        {
            return RedditItemKind.Post;
        }

        return null;
    }
}

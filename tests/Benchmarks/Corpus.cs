using RedditSentiment.Testing;

namespace Benchmarks;

/// <summary>
/// Benchmark texts: real Reddit comments from the team's labeled dev set (../shared/data/eval), read at run
/// time and never copied into the repository.
/// </summary>
public static class Corpus
{
    public const string DefaultRelativePath = "../shared/data/eval/goemotions-dev.tsv";

    /// <param name="input">The --input option: a TSV file with a header, text first; null for the default.</param>
    public static string[] Load(string? input)
    {
        var path = input ?? Path.Combine(RepositoryRoot.Folder, DefaultRelativePath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No benchmark corpus at {path}; pass --input FILE (TSV with a header, text first).");
        }

        return File.ReadLines(path).Skip(1)
            .Select(line => line.Split('\t')[0])
            .Where(text => text.Length > 0)
            .ToArray();
    }
}

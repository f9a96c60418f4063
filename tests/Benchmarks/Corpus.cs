namespace Benchmarks;

/// <summary>
/// Benchmark texts: real Reddit comments from the team's labeled dev set (../shared/data/eval), read at run
/// time and never copied into the repository.
/// </summary>
public static class Corpus
{
    public const string DefaultRelativePath = "../shared/data/eval/goemotions-dev.tsv";

    public static string[] Load(BenchmarkArguments arguments)
    {
        var path = arguments.Text("input", Path.Combine(RepositoryRoot(), DefaultRelativePath));
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No benchmark corpus at {path}; pass --input FILE (TSV with a header, text first).");
        }

        return File.ReadLines(path).Skip(1)
            .Select(line => line.Split('\t')[0])
            .Where(text => text.Length > 0)
            .ToArray();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run the benchmarks from the repository (Aspire.sln not found above the binary).");
    }
}

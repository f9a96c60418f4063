namespace RedditSentiment.Testing;

/// <summary>
/// The checkout the tests and benchmarks were built in: the nearest folder above the build output that holds
/// Aspire.sln, so that they find the repository's scripts, docs and data wherever they are started from. One copy,
/// linked into each project under tests/ that needs it (a <c>Compile Include … Link</c> item in its .csproj).
/// </summary>
internal static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException(
            $"The repository root (Aspire.sln) is not above {AppContext.BaseDirectory}: build and run from a checkout of the repository.");
    }
}

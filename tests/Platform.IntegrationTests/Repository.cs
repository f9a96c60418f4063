namespace Platform.IntegrationTests;

/// <summary>The repository the tests run from: its scripts are run as a user would.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Aspire.sln) is not above the test's folder.");
    }
}

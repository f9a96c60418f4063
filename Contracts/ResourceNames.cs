namespace RedditSentiment.Contracts;

/// <summary>
/// Names of the app model's resources. They are also the connection-string and service-discovery keys
/// the services read, so the AppHost and the services share this one definition.
/// </summary>
public static class ResourceNames
{
    public const string PostgresServer = "postgres";
    public const string Database = "sentiment-db";
    public const string Redis = "redis";
    public const string Identity = "identity";
    public const string Scorer = "scorer";
    public const string Collector = "collector";
    public const string Gateway = "gateway";

    /// <summary>The PostgreSQL database and role the services use (names the runbook's psql commands use).</summary>
    public const string DatabaseName = "reddit_sentiment";
    public const string DatabaseUser = "reddit_user";
}

namespace RedditSentiment.Contracts;

/// <summary>
/// The OAuth scopes of the platform's API and the audience its access tokens carry. Identity issues them;
/// the Gateway checks them; both read this one definition.
/// </summary>
public static class PlatformScopes
{
    /// <summary>Read scored items, statistics and the model list.</summary>
    public const string Read = "sentiment.read";

    /// <summary>Submit texts for scoring (REST and bulk gRPC).</summary>
    public const string Score = "sentiment.score";

    /// <summary>Operate the platform: reprocess failures, manage ingestion.</summary>
    public const string Admin = "sentiment.admin";

    public static readonly IReadOnlyList<string> All = [Read, Score, Admin];

    /// <summary>The <c>aud</c> claim of every access token Identity issues for the platform's API.</summary>
    public const string ApiAudience = "sentiment-api";
}

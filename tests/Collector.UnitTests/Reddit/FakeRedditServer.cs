using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Collector.UnitTests.Reddit;

/// <summary>
/// A stand-in for Reddit, served by Kestrel on 127.0.0.1 (port 0) in the test process: the token endpoint
/// (<c>POST /api/v1/access_token</c>) and the listings <c>/r/{sub}/new</c> and <c>/r/{sub}/comments</c> in
/// Reddit's JSON shapes and paging rules, with scripted trouble (<see cref="Enqueue"/>), optional
/// rate-limit headers (<see cref="RateLimit"/>) and a record of every request (<see cref="Requests"/>).
/// Self-contained (this file and FakeRedditServer.Things.cs) so integration tests can reuse it.
/// </summary>
public sealed partial class FakeRedditServer : IAsyncDisposable
{
    public const string ClientId = "fake-client-id";
    public const string ClientSecret = "fake-client-secret";
    public const string Username = "sentiment_bot";
    public const string Password = "correct horse";
    public const string TokenPath = "/api/v1/access_token";

    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<FakeFault> _apiFaults = new();
    private readonly Queue<FakeFault> _tokenFaults = new();
    private readonly ConcurrentDictionary<string, bool> _activeTokens = new();
    private int _tokenCounter;

    private FakeRedditServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Root of both the token endpoint and the API, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The <c>expires_in</c> of new tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Rate-limit headers on every API response when set; none when null.</summary>
    public FakeRateLimit? RateLimit { get; set; }

    /// <summary>When set, every API request gets 401 as if each token were revoked at once.</summary>
    public bool RejectAllTokens { get; set; }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<RecordedRequest> TokenRequests => Requests.Where(r => r.Path == TokenPath).ToList();

    public IReadOnlyList<RecordedRequest> ApiRequests => Requests.Where(r => r.Path != TokenPath).ToList();

    public static async Task<FakeRedditServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();

        // Nothing from the test folder's appsettings.json (a service's Kestrel endpoints land there when a test
        // project references the service): the fake listens where it is told below and nowhere else.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeRedditServer(app);

        app.Use(server.RecordAsync);
        app.MapPost(TokenPath, server.IssueTokenAsync);
        app.MapGet("/r/{subreddit}/new", (HttpContext context, string subreddit) => server.ServeListingAsync(context, subreddit, ThingKind.Post));
        app.MapGet("/r/{subreddit}/comments", (HttpContext context, string subreddit) => server.ServeListingAsync(context, subreddit, ThingKind.Comment));
        foreach (var sort in new[] { "hot", "top", "controversial", "rising" })
        {
            app.MapGet($"/r/{{subreddit}}/{sort}", (HttpContext context, string subreddit) => server.ServeListingAsync(context, subreddit, ThingKind.Post, bestFirst: true));
        }

        app.MapGet("/comments/{postId}", (HttpContext context, string postId) => server.ServeAsync(context, () => server.BuildThread(postId, context.Request.Query)));
        app.MapGet("/api/morechildren", (HttpContext context) => server.ServeAsync(context, () => server.BuildMoreChildren(context.Request.Query)));
        app.MapGet("/api/info", (HttpContext context) => server.ServeAsync(context, () => server.BuildInfo(context.Request.Query)));

        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Scripts the next API (not token) requests, first in first out, after the token check.</summary>
    public void Enqueue(params FakeFault[] faults)
    {
        lock (_lock)
        {
            foreach (var fault in faults)
            {
                _apiFaults.Enqueue(fault);
            }
        }
    }

    /// <summary>Scripts the next token requests.</summary>
    public void EnqueueTokenFault(params FakeFault[] faults)
    {
        lock (_lock)
        {
            foreach (var fault in faults)
            {
                _tokenFaults.Enqueue(fault);
            }
        }
    }

    /// <summary>Revokes every token issued so far: their next use gets 401.</summary>
    public void ExpireAllTokens() => _activeTokens.Clear();

    public void ClearRequests()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task RecordAsync(HttpContext context, RequestDelegate next)
    {
        context.Request.EnableBuffering();
        var form = new Dictionary<string, string>();
        if (context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync())
            {
                form[key] = value.ToString();
            }

            context.Request.Body.Position = 0;
        }

        var recorded = new RecordedRequest(
            DateTimeOffset.UtcNow,
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString()),
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null,
            form);
        lock (_lock)
        {
            _requests.Add(recorded);
        }

        try
        {
            await next(context);
        }
        finally
        {
            recorded.StatusCode = context.RequestAborted.IsCancellationRequested ? 0 : context.Response.StatusCode;
        }
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        if (await ApplyFaultAsync(context, NextFault(_tokenFaults), presentedToken: null))
        {
            return;
        }

        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (context.Request.Headers.Authorization.ToString() != $"Basic {expected}")
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new { message = "Unauthorized", error = 401 });
            return;
        }

        var form = await context.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        if (grant == "password" && (form["username"] != Username || form["password"] != Password))
        {
            // Reddit's way: status 200 with an OAuth error.
            await WriteJsonAsync(context, StatusCodes.Status200OK, new { error = "invalid_grant" });
            return;
        }

        if (grant is not ("password" or "client_credentials"))
        {
            await WriteJsonAsync(context, StatusCodes.Status200OK, new { error = "unsupported_grant_type" });
            return;
        }

        var token = $"fake-token-{Interlocked.Increment(ref _tokenCounter)}";
        _activeTokens[token] = true;
        await WriteJsonAsync(context, StatusCodes.Status200OK, new
        {
            access_token = token,
            token_type = "bearer",
            expires_in = (int)TokenLifetime.TotalSeconds,
            scope = "*",
        });
    }

    private async Task ServeListingAsync(HttpContext context, string subreddit, ThingKind kind, bool bestFirst = false)
    {
        if (!SubredditExists(subreddit))
        {
            await ServeAsync(context, () => null); // authorised first, then Reddit's redirect to its search
            return;
        }

        await ServeAsync(context, () => BuildListing(subreddit, kind, context.Request.Query, bestFirst));
    }

    /// <summary>The checks every API request passes (token, scripted faults, quota) before <paramref name="build"/> answers; null: a redirect to search.</summary>
    private async Task ServeAsync(HttpContext context, Func<object?> build)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = authorization.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..] : null;
        AddRateLimitHeaders(context);

        if (token is null || RejectAllTokens || !_activeTokens.ContainsKey(token))
        {
            await WriteUnauthorizedAsync(context);
            return;
        }

        if (await ApplyFaultAsync(context, NextFault(_apiFaults), token))
        {
            return;
        }

        if (RateLimit is { } limit && limit.IsExceeded)
        {
            await WriteJsonAsync(context, StatusCodes.Status429TooManyRequests, new { message = "Too Many Requests", error = 429 });
            return;
        }

        if (build() is not { } body)
        {
            // Reddit redirects a subreddit that does not exist to its search.
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = $"/subreddits/search.json?q={Uri.EscapeDataString(context.Request.RouteValues["subreddit"]?.ToString() ?? "")}";
            return;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private FakeFault? NextFault(Queue<FakeFault> faults)
    {
        lock (_lock)
        {
            return faults.TryDequeue(out var fault) ? fault : null;
        }
    }

    private async Task<bool> ApplyFaultAsync(HttpContext context, FakeFault? fault, string? presentedToken)
    {
        switch (fault)
        {
            case null:
                return false;
            case FakeFault.StatusFault status:
                await WriteJsonAsync(context, status.StatusCode, new { message = ReasonPhrases.GetReasonPhrase(status.StatusCode), error = status.StatusCode });
                return true;
            case FakeFault.ExpireTokenFault:
                if (presentedToken is not null)
                {
                    _activeTokens.TryRemove(presentedToken, out _);
                }

                await WriteUnauthorizedAsync(context);
                return true;
            case FakeFault.TooManyRequestsFault tooMany:
                context.Response.Headers.Remove("x-ratelimit-remaining");
                context.Response.Headers.Remove("x-ratelimit-used");
                context.Response.Headers.Remove("x-ratelimit-reset");
                if (tooMany.WithRateLimitHeaders)
                {
                    context.Response.Headers["x-ratelimit-remaining"] = "0.0";
                    context.Response.Headers["x-ratelimit-used"] = "1000";
                    context.Response.Headers["x-ratelimit-reset"] = tooMany.ResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    context.Response.Headers.RetryAfter = tooMany.ResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await WriteJsonAsync(context, StatusCodes.Status429TooManyRequests, new { message = "Too Many Requests", error = 429 });
                return true;
            case FakeFault.HangFault hang:
                try
                {
                    await Task.Delay(hang.Duration, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return true;
                }

                return false;
            case FakeFault.DropConnectionFault:
                context.Abort();
                return true;
            case FakeFault.RawFault raw:
                context.Response.StatusCode = raw.StatusCode;
                context.Response.ContentType = raw.ContentType;
                await context.Response.WriteAsync(raw.Body);
                return true;
            default:
                throw new InvalidOperationException($"Unknown fault {fault}");
        }
    }

    private void AddRateLimitHeaders(HttpContext context)
    {
        if (RateLimit is not { } limit)
        {
            return;
        }

        var (remaining, used, reset) = limit.Count();
        context.Response.Headers["x-ratelimit-remaining"] = remaining.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-used"] = used.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["x-ratelimit-reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Task WriteUnauthorizedAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"reddit\", error=\"invalid_token\"";
        return WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new { message = "Unauthorized", error = 401 });
    }

    private static async Task WriteJsonAsync(HttpContext context, int statusCode, object body)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

/// <summary>A request as the fake server received it.</summary>
public sealed record RecordedRequest(
    DateTimeOffset ReceivedAt,
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Query,
    string? Authorization,
    string? UserAgent,
    IReadOnlyDictionary<string, string> Form)
{
    /// <summary>The status answered; 0 when the connection was dropped or the client gave up.</summary>
    public int StatusCode { get; internal set; }

    public string? BearerToken => Authorization is { } value && value.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase)
        ? value[7..]
        : null;
}

/// <summary>Something the fake server does instead of answering normally, once.</summary>
public abstract record FakeFault
{
    /// <summary>Answers with this status and Reddit's error body (<c>{"message","error"}</c>).</summary>
    public static FakeFault Status(int statusCode) => new StatusFault(statusCode);

    /// <summary>Revokes the token the request carried and answers 401 (<c>invalid_token</c>), as an expired token does.</summary>
    public static FakeFault ExpireToken() => new ExpireTokenFault();

    /// <summary>429 with <c>x-ratelimit-remaining: 0.0</c> and <c>x-ratelimit-reset</c>, or only <c>Retry-After</c>.</summary>
    public static FakeFault TooManyRequests(int resetSeconds, bool withRateLimitHeaders = true) =>
        new TooManyRequestsFault(resetSeconds, withRateLimitHeaders);

    /// <summary>Answers nothing for this long (or until the client gives up), then normally.</summary>
    public static FakeFault Hang(TimeSpan duration) => new HangFault(duration);

    /// <summary>Closes the connection without an answer.</summary>
    public static FakeFault DropConnection() => new DropConnectionFault();

    /// <summary>A response exactly as given: Reddit's error bodies, an outage page, a listing with odd paging.</summary>
    public static FakeFault Raw(int statusCode, string body, string contentType = "application/json; charset=UTF-8") => new RawFault(statusCode, body, contentType);

    internal sealed record StatusFault(int StatusCode) : FakeFault;

    internal sealed record RawFault(int StatusCode, string Body, string ContentType) : FakeFault;

    internal sealed record ExpireTokenFault : FakeFault;

    internal sealed record TooManyRequestsFault(int ResetSeconds, bool WithRateLimitHeaders) : FakeFault;

    internal sealed record HangFault(TimeSpan Duration) : FakeFault;

    internal sealed record DropConnectionFault : FakeFault;
}

/// <summary>
/// Reddit-style quota: every API request counts; the headers say what is left and a fixed reset. Past
/// the limit the server answers 429.
/// </summary>
public sealed class FakeRateLimit(int limit, int resetSeconds, int alreadyUsed = 0)
{
    private int _used = alreadyUsed;

    public int Limit { get; } = limit;

    public int ResetSeconds { get; set; } = resetSeconds;

    public int Used => Volatile.Read(ref _used);

    internal bool IsExceeded => Used > Limit;

    internal (double Remaining, int Used, int Reset) Count()
    {
        var used = Interlocked.Increment(ref _used);
        return (Math.Max(0, Limit - used), used, ResetSeconds);
    }
}

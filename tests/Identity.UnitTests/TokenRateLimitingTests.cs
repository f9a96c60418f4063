using System.Net;
using System.Text.Json;
using System.Threading.RateLimiting;
using Identity.Infrastructure;
using Identity.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace Identity.UnitTests;

public sealed class TokenRateLimitingTests
{
    private static readonly TokenRateLimitOptions Limits = new() { PermitLimit = 3, Window = TimeSpan.FromSeconds(30) };

    private static DefaultHttpContext Request(string path, string address)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        return context;
    }

    [Fact]
    public void Token_requests_beyond_the_limit_are_refused_per_address()
    {
        using var limiter = TokenRateLimiting.CreateLimiter(Limits);

        var granted = Enumerable.Range(0, 4).Select(_ => limiter.AttemptAcquire(Request(TokenEndpoints.Token, "10.0.0.1")).IsAcquired).ToList();

        Assert.Equal([true, true, true, false], granted);
        Assert.True(limiter.AttemptAcquire(Request(TokenEndpoints.Token, "10.0.0.2")).IsAcquired); // another address, another budget
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/.well-known/jwks")]
    [InlineData("/connect/introspect")]
    public void Other_paths_are_never_limited(string path)
    {
        using var limiter = TokenRateLimiting.CreateLimiter(Limits);

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(limiter.AttemptAcquire(Request(path, "10.0.0.1")).IsAcquired));
    }

    [Fact]
    public async Task A_refusal_is_429_with_Retry_After_and_an_oauth_error()
    {
        using var limiter = TokenRateLimiting.CreateLimiter(Limits);
        var context = Request(TokenEndpoints.Token, "10.0.0.1");
        context.Response.Body = new MemoryStream();
        RateLimitLease lease = null!;
        for (var i = 0; i < 4; i++)
        {
            lease = limiter.AttemptAcquire(context);
        }

        await TokenRateLimiting.OnRejectedAsync(new OnRejectedContext { HttpContext = context, Lease = lease }, CancellationToken.None);

        Assert.Equal(StatusCodes.Status429TooManyRequests, context.Response.StatusCode);
        Assert.InRange(int.Parse(context.Response.Headers.RetryAfter.ToString()), 1, 30);
        context.Response.Body.Position = 0;
        var body = await JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("temporarily_unavailable", body.RootElement.GetProperty("error").GetString());
    }
}

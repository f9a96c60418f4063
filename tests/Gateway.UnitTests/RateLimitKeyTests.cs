using System.Net;
using System.Security.Claims;
using Gateway.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.UnitTests;

public sealed class RateLimitKeyTests
{
    private static HttpContext Caller(params (string Type, string Value)[] claims)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        if (claims.Length > 0)
        {
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "Bearer"));
        }

        return context;
    }

    [Fact]
    public void Web_users_of_one_client_get_a_bucket_each()
    {
        var alice = RateLimiting.ClientKey(Caller(("client_id", "sentiment-web"), ("sub", "user-1")));
        var bob = RateLimiting.ClientKey(Caller(("client_id", "sentiment-web"), ("sub", "user-2")));

        Assert.Equal("user:user-1", alice);
        Assert.NotEqual(alice, bob);
    }

    [Fact]
    public void A_service_is_limited_per_client_and_an_anonymous_caller_per_address()
    {
        Assert.Equal("client:sentiment-bulk", RateLimiting.ClientKey(Caller(("client_id", "sentiment-bulk"), ("sub", "sentiment-bulk"))));
        Assert.Equal("ip:10.1.2.3", RateLimiting.ClientKey(Caller()));
    }
}

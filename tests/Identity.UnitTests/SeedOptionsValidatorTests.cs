using Identity.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Identity.UnitTests;

public sealed class SeedOptionsValidatorTests
{
    private static SeedOptions Valid() => new()
    {
        Clients =
        [
            new() { ClientId = "service", ClientSecret = "s3cret", GrantTypes = ["client_credentials"], Scopes = [PlatformScopes.Read] },
            new() { ClientId = "web", GrantTypes = ["password", "refresh_token"], Scopes = [.. PlatformScopes.All] },
        ],
        Admin = new() { UserName = "admin", Password = "Admin-password-1" },
        Users = [new() { UserName = "alice", Password = "Alice-password-1", Scopes = [PlatformScopes.Read] }],
    };

    [Fact]
    public void Valid_settings_pass()
    {
        Assert.Empty(SeedOptionsValidator.Problems(Valid()));
    }

    [Fact]
    public void The_admin_needs_a_password()
    {
        var options = Valid();
        options.Admin.Password = "";

        Assert.Contains(SeedOptionsValidator.Problems(options), p => p.Contains("Identity:Admin:Password is required"));
    }

    [Fact]
    public void Client_credentials_needs_a_secret()
    {
        var options = Valid();
        options.Clients[0].ClientSecret = null;

        Assert.Contains(SeedOptionsValidator.Problems(options), p => p.Contains("service") && p.Contains("needs a ClientSecret"));
    }

    [Theory]
    [InlineData("authorization_code")]
    [InlineData("implicit")]
    [InlineData("CLIENT_CREDENTIALS")]
    public void Unknown_grant_types_are_refused(string grant)
    {
        var options = Valid();
        options.Clients[0].GrantTypes.Add(grant);

        Assert.Contains(SeedOptionsValidator.Problems(options), p => p.Contains($"'{grant}'"));
    }

    [Fact]
    public void Unknown_scopes_are_refused_for_clients_and_users()
    {
        var options = Valid();
        options.Clients[1].Scopes.Add("sentiment.write");
        options.Users[0].Scopes.Add("root");

        var problems = SeedOptionsValidator.Problems(options);

        Assert.Contains(problems, p => p.StartsWith("Identity:Clients:1:Scopes") && p.Contains("'sentiment.write'"));
        Assert.Contains(problems, p => p.StartsWith("Identity:Users:0:Scopes") && p.Contains("'root'"));
    }

    [Fact]
    public void Refresh_token_without_password_is_refused()
    {
        var options = Valid();
        options.Clients[1].GrantTypes.Remove("password");

        Assert.Contains(SeedOptionsValidator.Problems(options), p => p.Contains("refresh_token without password"));
    }

    [Fact]
    public void Duplicate_clients_and_users_are_refused()
    {
        var options = Valid();
        options.Clients.Add(new() { ClientId = "service", ClientSecret = "x", GrantTypes = ["client_credentials"] });
        options.Users.Add(new() { UserName = "ADMIN", Password = "Other-password-1" });

        var problems = SeedOptionsValidator.Problems(options);

        Assert.Contains(problems, p => p.Contains("client 'service' 2 times"));
        Assert.Contains(problems, p => p.Contains("user 'admin' 2 times", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var options = new SeedOptions
        {
            Clients = [new() { ClientId = "", GrantTypes = [] }],
            Admin = new() { UserName = "", Password = "" },
        };

        Assert.True(SeedOptionsValidator.Problems(options).Count >= 4);
    }

    [Fact]
    public void Settings_bind_from_configuration_and_fail_at_start_when_invalid()
    {
        var valid = Resolve(
            ("Identity:Clients:0:ClientId", "service"),
            ("Identity:Clients:0:ClientSecret", "s3cret"),
            ("Identity:Clients:0:GrantTypes:0", "client_credentials"),
            ("Identity:Clients:0:Scopes:0", PlatformScopes.Read),
            ("Identity:Clients:0:Scopes:1", PlatformScopes.Score),
            ("Identity:Admin:Password", "Admin-password-1"));

        Assert.Equal("admin", valid.Admin.UserName);
        Assert.Equal([PlatformScopes.Read, PlatformScopes.Score], valid.Clients.Single().Scopes);

        var error = Assert.Throws<OptionsValidationException>(() => Resolve(("Identity:Clients:0:ClientId", "web"), ("Identity:Clients:0:GrantTypes:0", "implicit")));
        Assert.Contains("Identity:Admin:Password is required", error.Message);
        Assert.Contains("'implicit'", error.Message);
    }

    internal static SeedOptions Resolve(params (string Key, string Value)[] settings) =>
        ServiceConfiguration.Resolve<SeedOptions>(settings);
}

/// <summary>Builds the service's real registrations over in-memory settings, as the service's start would.</summary>
internal static class ServiceConfiguration
{
    public static T Resolve<T>(params (string Key, string Value)[] settings) where T : class =>
        Service<IOptions<T>>(settings).Value;

    /// <summary>A service as the app registers it, with these settings.</summary>
    public static T Service<T>(params (string Key, string Value)[] settings) where T : notnull
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection([
            new("ConnectionStrings:" + ResourceNames.Database, "Host=localhost;Database=x"),
            .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)),
        ]);
        builder.AddApplicationServices();
        var provider = builder.Services.BuildServiceProvider();
        return provider.GetRequiredService<T>();
    }
}

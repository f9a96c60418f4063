using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Identity.Model;

/// <summary>Fails the start with every problem in the seeding settings named, rather than the first.</summary>
public sealed class SeedOptionsValidator : IValidateOptions<SeedOptions>
{
    /// <summary>The grant types a seeded client may use.</summary>
    public static readonly IReadOnlyList<string> SupportedGrantTypes =
        [GrantTypes.ClientCredentials, GrantTypes.Password, GrantTypes.RefreshToken];

    public ValidateOptionsResult Validate(string? name, SeedOptions options)
    {
        var errors = Problems(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> Problems(SeedOptions options)
    {
        var errors = new List<string>();

        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var at = $"Identity:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                errors.Add($"{at}:ClientId is required.");
            }

            if (client.GrantTypes.Count == 0)
            {
                errors.Add($"{at} ({client.ClientId}) has no GrantTypes; expected some of {string.Join(", ", SupportedGrantTypes)}.");
            }

            errors.AddRange(client.GrantTypes.Where(g => !SupportedGrantTypes.Contains(g))
                .Select(g => $"{at}:GrantTypes has '{g}'; expected one of {string.Join(", ", SupportedGrantTypes)}."));
            errors.AddRange(UnknownScopes(client.Scopes).Select(s => $"{at}:Scopes has '{s}'; expected some of {string.Join(", ", PlatformScopes.All)}."));

            if (client.GrantTypes.Contains(GrantTypes.ClientCredentials) && !client.IsConfidential)
            {
                errors.Add($"{at} ({client.ClientId}) uses client_credentials and so needs a ClientSecret.");
            }

            if (client.GrantTypes.Contains(GrantTypes.RefreshToken) && !client.GrantTypes.Contains(GrantTypes.Password))
            {
                errors.Add($"{at} ({client.ClientId}) uses refresh_token without password: it could never obtain a refresh token.");
            }
        }

        errors.AddRange(options.Clients.Where(c => !string.IsNullOrWhiteSpace(c.ClientId))
            .GroupBy(c => c.ClientId, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"Identity:Clients names client '{g.Key}' {g.Count()} times."));

        ValidateUser(options.Admin, "Identity:Admin", errors);
        for (var i = 0; i < options.Users.Count; i++)
        {
            ValidateUser(options.Users[i], $"Identity:Users:{i}", errors);
        }

        errors.AddRange(options.Users.Select(u => u.UserName).Append(options.Admin.UserName)
            .Where(n => !string.IsNullOrWhiteSpace(n))
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1)
            .Select(g => $"Identity:Admin and Identity:Users name user '{g.Key}' {g.Count()} times."));

        return errors;
    }

    private static void ValidateUser(UserSeed user, string at, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(user.UserName))
        {
            errors.Add($"{at}:UserName is required.");
        }

        if (string.IsNullOrEmpty(user.Password))
        {
            errors.Add($"{at}:Password is required ({at.Replace(":", "__")}__Password; the AppHost passes a generated one).");
        }

        errors.AddRange(UnknownScopes(user.Scopes).Select(s => $"{at}:Scopes has '{s}'; expected some of {string.Join(", ", PlatformScopes.All)}."));
    }

    private static IEnumerable<string> UnknownScopes(IEnumerable<string> scopes) => scopes.Where(s => !PlatformScopes.All.Contains(s));
}

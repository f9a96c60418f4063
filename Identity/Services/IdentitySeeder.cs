using System.Security.Claims;
using Identity.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Identity.Services;

/// <summary>
/// Makes the store match the settings, on every start and idempotently: the platform scopes, each
/// configured client (registration, permissions, secret) and each configured user (password, scopes).
/// Clients and users that the settings do not name are left alone.
/// </summary>
public sealed class IdentitySeeder(
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    UserManager<IdentityUser> users,
    IOptions<SeedOptions> seedOptions,
    IOptions<TokenServerOptions> serverOptions,
    ILogger<IdentitySeeder> logger)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var seed = seedOptions.Value;
        foreach (var scope in PlatformScopes.All)
        {
            await EnsureScopeAsync(scope, cancellationToken);
        }

        foreach (var client in seed.Clients)
        {
            await EnsureClientAsync(client, cancellationToken);
        }

        await EnsureUserAsync(seed.Admin, ScopeGrant.ForUser(seed.Admin, isAdmin: true));
        foreach (var user in seed.Users)
        {
            await EnsureUserAsync(user, ScopeGrant.ForUser(user, isAdmin: false));
        }
    }

    private async Task EnsureScopeAsync(string name, CancellationToken cancellationToken)
    {
        var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = name };
        descriptor.Resources.Add(serverOptions.Value.Audience);

        var existing = await scopes.FindByNameAsync(name, cancellationToken);
        if (existing is null)
        {
            await scopes.CreateAsync(descriptor, cancellationToken);
            logger.LogInformation("Created scope {Scope}", name);
        }
        else
        {
            await scopes.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }

    private async Task EnsureClientAsync(ClientSeed client, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(client.ClientId, cancellationToken);
        if (existing is null)
        {
            var descriptor = new OpenIddictApplicationDescriptor { ClientSecret = client.ClientSecret };
            ClientPermissions.Apply(client, descriptor);
            await applications.CreateAsync(descriptor, cancellationToken);
            logger.LogInformation("Created client {ClientId} ({ClientType})", client.ClientId, descriptor.ClientType);
            return;
        }

        var update = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(update, existing, cancellationToken);
        var wasConfidential = await applications.HasClientTypeAsync(existing, OpenIddictConstants.ClientTypes.Confidential, cancellationToken);
        ClientPermissions.Apply(client, update);

        // The stored secret is a hash: keep it while the configured secret still matches (no re-hash on
        // every start), replace it when the parameter was rotated, drop it when the client became public.
        if (!client.IsConfidential)
        {
            update.ClientSecret = null;
        }
        else if (!wasConfidential || !await applications.ValidateClientSecretAsync(existing, client.ClientSecret!, cancellationToken))
        {
            update.ClientSecret = client.ClientSecret;
            logger.LogInformation("Client {ClientId} has a new secret", client.ClientId);
        }

        await applications.UpdateAsync(existing, update, cancellationToken);
    }

    private async Task EnsureUserAsync(UserSeed seed, IReadOnlyList<string> allowedScopes)
    {
        var user = await users.FindByNameAsync(seed.UserName);
        if (user is null)
        {
            user = new IdentityUser(seed.UserName);
            Check(await users.CreateAsync(user, seed.Password), $"create user '{seed.UserName}'");
            logger.LogInformation("Created user {UserName}", seed.UserName);
        }
        else if (!await users.CheckPasswordAsync(user, seed.Password))
        {
            // The configured password is the source of truth (it comes from a secret the operator rotates).
            Check(await users.RemovePasswordAsync(user), $"reset the password of '{seed.UserName}'");
            Check(await users.AddPasswordAsync(user, seed.Password), $"set the password of '{seed.UserName}'");
            logger.LogInformation("Reset the password of {UserName} to the configured one", seed.UserName);
        }

        var claims = await users.GetClaimsAsync(user);
        var current = claims.Where(c => c.Type == TokenClaims.AllowedScope).ToList();
        var stale = current.Where(c => !allowedScopes.Contains(c.Value)).ToList();
        var missing = allowedScopes.Where(s => !current.Any(c => c.Value == s)).Select(s => new Claim(TokenClaims.AllowedScope, s)).ToList();
        if (stale.Count > 0)
        {
            Check(await users.RemoveClaimsAsync(user, stale), $"remove scopes of '{seed.UserName}'");
        }

        if (missing.Count > 0)
        {
            Check(await users.AddClaimsAsync(user, missing), $"add scopes to '{seed.UserName}'");
        }
    }

    private static void Check(IdentityResult result, string action)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Seeding could not {action}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}

using Identity.Infrastructure.Keys;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Identity.Infrastructure.Data;

/// <summary>
/// Everything Identity keeps in PostgreSQL, in a schema of its own (<c>identity</c>) so it never meets the
/// Collector's tables: ASP.NET Core Identity's users, OpenIddict's applications, scopes, authorizations
/// and tokens, the Data Protection key ring, and the server's signing and encryption certificates.
/// </summary>
public sealed class IdentityStoreDbContext(DbContextOptions<IdentityStoreDbContext> options)
    : IdentityDbContext<IdentityUser>(options), IDataProtectionKeyContext
{
    public const string Schema = "identity";

    public const string MigrationsHistoryTable = "__EFMigrationsHistory";

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<ServerKey> ServerKeys => Set<ServerKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.UseOpenIddict();

        builder.Entity<ServerKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Use).HasConversion<string>().HasMaxLength(16);
            key.Property(k => k.Thumbprint).HasMaxLength(64);
            key.HasIndex(k => new { k.Use, k.NotAfter });
        });
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Identity.Infrastructure.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the app or reaching a server:
/// <c>dotnet ef migrations add Name --project Identity --output-dir Infrastructure/Data/Migrations</c>.
/// </summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<IdentityStoreDbContext>
{
    public IdentityStoreDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<IdentityStoreDbContext>()
            .UseNpgsql("Host=localhost;Database=design_time_only", IdentityStoreSetup.ConfigureNpgsql)
            .Options);
}

namespace Identity.Extensions;

public static class Extensions
{
    /// <summary>Registers what the token server needs; its user and client store is PostgreSQL.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app) => app;
}

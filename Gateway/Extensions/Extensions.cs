using Gateway.Apis;
using Gateway.Infrastructure;
using Gateway.Services;
using RedditSentiment.Protos.Sentiment.V1;

namespace Gateway.Extensions;

public static class Extensions
{
    /// <summary>
    /// Registers the public API's dependencies: PostgreSQL for reads, Redis for the aggregate cache, the
    /// Scorer's gRPC client, ProblemDetails and the OpenAPI document.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource(ResourceNames.Database);
        builder.AddRedisClient(ResourceNames.Redis);

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SentimentQueries>();
        builder.Services.AddSingleton<TrackedKeywords>();
        builder.Services.AddSingleton<KeywordAlerts>();
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.SectionName)
            .Validate(o => o.Interval > TimeSpan.Zero && o.WindowHours >= 1 && o.BaselineDays >= 1 && o.MinMentions >= 1 && o.Threshold > 0,
                "Gateway:Alerts needs a positive Interval, WindowHours, BaselineDays, MinMentions and Threshold.")
            .ValidateOnStart();
        builder.Services.AddSingleton<GatewayTelemetry>();
        builder.Services.AddSingleton<KeywordAlertService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<KeywordAlertService>());
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<AggregateCache>();
        builder.Services.AddOptions<CacheOptions>().BindConfiguration(CacheOptions.SectionName).ValidateOnStart();

        builder.Services.AddScorerClient();

        builder.Services.AddGrpc(options => options.MaxReceiveMessageSize = 4 * 1024 * 1024);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks();

        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<WebSessions>();
        builder.Services.AddOptions<WebSessionOptions>().BindConfiguration(WebSessionOptions.SectionName);
        // Identity's token endpoint for the web front end's sign-in; Identity rate-limits it itself.
        builder.Services.AddHttpContextAccessor();
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental
        builder.Services.AddHttpClient<IdentityClient>((sp, http) =>
            {
                http.BaseAddress = new Uri(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.Authority);
                http.Timeout = TimeSpan.FromSeconds(10);
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddPlatformAuthentication();
        builder.Services.AddPerClientRateLimiting();

        // One body-size limit for REST and gRPC; over it Kestrel refuses the request (413 ProblemDetails).
        builder.Services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>((kestrel, limits) =>
                kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes);
    }

    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Kestrel's and the JSON binder's refusals carry their status (413, 400): keep it in the problem.
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        app.UseCrossSiteRequestGuard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter(); // after authentication, so limits are per client

        // The dashboard page (wwwroot/index.html): static, it signs in through /auth and reads the API.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Reddit sentiment API v1");
            options.RoutePrefix = "docs";
        });

        app.MapGrpcService<GatewayGrpcService>().RequireRateLimiting(RateLimiting.PerClientPolicy);
        // Reflection lists every service and message to anyone: on for local runs (grpcurl, Postman), off in
        // production unless Gateway:GrpcReflection says otherwise.
        if (app.Configuration.GetValue("Gateway:GrpcReflection", app.Environment.IsDevelopment()))
        {
            app.MapGrpcReflectionService();
        }
        app.MapGrpcHealthChecksService();

        var api = app.MapGroup("/api/v1").RequireRateLimiting(RateLimiting.PerClientPolicy);
        app.MapAuthApi(api);
        api.MapSentimentApi();
        api.MapReadsApi();
        api.MapAdminApi();
        api.MapKeywordsApi();
        return app;
    }
}

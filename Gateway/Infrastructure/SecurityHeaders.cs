namespace Gateway.Infrastructure;

/// <summary>
/// The headers a browser needs to protect the dashboard and the API's users: no framing (clickjacking), no
/// content sniffing, no referrer leaving the site, and a Content-Security-Policy that runs only the site's own
/// scripts (the dashboard's and the API docs' are files). Responses of <c>/auth</c> carry tokens and a session:
/// never stored by a browser or a proxy.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            if (context.Request.Path.StartsWithSegments("/auth"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return next(context);
        });
}

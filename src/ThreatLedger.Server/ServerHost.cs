using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scalar.AspNetCore;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>Builds the ThreatLedger web server (Kestrel): TAXII 2.1 under /taxii2/ and /api/.</summary>
public static class ServerHost
{
    private static PartitionedRateLimiter<HttpContext> Buckets(Func<HttpContext, string> key, int burst, int perSecond) =>
        PartitionedRateLimiter.Create<HttpContext, string>(c => RateLimitPartition.GetTokenBucketLimiter(key(c), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>A server over <paramref name="store"/> (which the caller keeps and disposes after the server stops).</summary>
    public static WebApplication Build(IStixStore store, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxContentLength + 1;
        });
        // Only errors (an unhandled exception behind a 500), and on stderr: stdout carries the serve line.
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info = new() { Title = "ThreatLedger REST API", Version = "v1", Description = "Attribution of cyber operations as STIX 2.1: search, objects, the ledger's questions, exports. Authenticate with 'Authorization: Bearer TOKEN'." };
            return Task.CompletedTask;
        }));
        builder.Services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = 504,
        });
        var app = builder.Build();
        var users = new UserDirectory(store);

        // Failed logins per address (20 in 10 s), password checks per address (a key derivation each), and requests per user
        // (per address before authentication): a runaway script or a guesser slows down, others do not.
        var failures = new FailureBudget(20, TimeSpan.FromSeconds(10));
        var passwords = Buckets(Auth.From, 10, 5);
        var limiter = Buckets(Auth.NameOrAddress, Math.Max(1, options.RateLimitPerSecond * 2), Math.Max(1, options.RateLimitPerSecond));

        app.Use(async (c, next) =>
        {
            var h = c.Response.Headers;
            h["X-Content-Type-Options"] = "nosniff";
            h["X-Frame-Options"] = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cache-Control"] = "no-store";

            bool taxii = c.Request.Path.StartsWithSegments("/taxii2") || c.Request.Path.StartsWithSegments("/api");
            bool anonymous = c.Request.Path.StartsWithSegments("/openapi") || c.Request.Path.StartsWithSegments("/docs") || c.Request.Path == "/feed.atom";
            if (taxii && !Taxii.Accepts(c.Request.Headers.Accept))
            {
                await Taxii.Error(c, 406, "Not acceptable", $"this server answers {Taxii.MediaType}; send Accept: {Taxii.MediaType}").ExecuteAsync(c).ConfigureAwait(false);
                return;
            }

            // Before any credential is checked: an address whose recent failed logins used up its budget is turned away,
            // and password checks (a key derivation each) have a small budget per address, so floods of guesses cost nothing.
            using var passwordLease = Auth.IsPasswordAttempt(c) ? await passwords.AcquireAsync(c, 1, c.RequestAborted).ConfigureAwait(false) : null;
            bool refused = failures.Exhausted(Auth.From(c)) || passwordLease?.IsAcquired == false;
            bool authenticated = !refused && !anonymous && await Auth.AuthenticateAsync(c, users).ConfigureAwait(false);
            if (!refused && !anonymous && !authenticated)
            {
                failures.Record(Auth.From(c));
            }

            using var lease = refused ? null : await limiter.AcquireAsync(c, 1, c.RequestAborted).ConfigureAwait(false);
            if (refused || !lease!.IsAcquired)
            {
                h.RetryAfter = "1";
                string why = $"more than {options.RateLimitPerSecond} requests per second from '{Auth.NameOrAddress(c)}'; wait a second and slow down";
                await (taxii ? Taxii.Error(c, 429, "Too many requests", why) : Rest.Problem(429, "Too many requests", why)).ExecuteAsync(c).ConfigureAwait(false);
                return;
            }

            if (!anonymous && !authenticated)
            {
                h.WWWAuthenticate = "Basic realm=\"ThreatLedger\", Bearer";
                const string how = "send 'Authorization: Bearer TOKEN' or HTTP Basic with your user name and an API token (threatledger users add NAME)";
                await (taxii ? Taxii.Error(c, 401, "Unauthorized", how) : Rest.Problem(401, "Unauthorized", how)).ExecuteAsync(c).ConfigureAwait(false);
                return;
            }

            try
            {
                await next(c).ConfigureAwait(false);

                // An error answered without a body (a query parameter the framework could not bind, say) still gets one.
                if (!c.Response.HasStarted && c.Response.StatusCode >= 400 && c.Response.ContentLength is null or 0 && c.Response.ContentType is null)
                {
                    int code = c.Response.StatusCode;
                    string detail = code == 400 ? "a query parameter or the body has the wrong form; see /openapi/v1.json for the parameters" : "the request could not be served";
                    await (taxii ? Taxii.Error(c, code, "Bad request", detail) : Rest.Problem(code, code == 400 ? "Bad request" : "Error", detail)).ExecuteAsync(c).ConfigureAwait(false);
                }
            }
            catch (FormatException ex) when (!c.Response.HasStarted)
            {
                // A cursor this store did not issue, and the like: the caller's mistake, named.
                await (taxii ? Taxii.Error(c, 400, "Bad request", ex.Message) : Rest.Problem(400, "Bad request", ex.Message)).ExecuteAsync(c).ConfigureAwait(false);
            }
        });

        app.UseRequestTimeouts();
        Taxii.Map(app, store, options, users);
        Rest.Map(app, store, options);
        IngestEndpoints.Map(app, store, options, users);
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("ThreatLedger REST API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapFallback((HttpContext c) => c.Request.Path.StartsWithSegments("/rest")
            ? Rest.Problem(404, "Not found", $"nothing at {c.Request.Path}; the API is described at /openapi/v1.json and browsable at /docs")
            : Taxii.Error(c, 404, "Not found", $"nothing at {c.Request.Path}; TAXII discovery is at /taxii2/, the REST API at /docs"));
        return app;
    }
}

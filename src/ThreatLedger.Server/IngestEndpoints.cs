using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ThreatLedger.Extraction;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>
/// Ingestion over REST (issue 5 through the server): a text, HTML page or URL becomes a draft report
/// (analysts and admins only; names above the caller's clearance are not used for matching), which
/// is reviewed item by item. URLs are fetched only from public addresses (no loopback, private or
/// link-local targets: the server must not be a way into its own network).
/// </summary>
internal static class IngestEndpoints
{
    // The connection itself is made to an address checked at that moment (a name that resolves differently the
    // second time — DNS rebinding — still cannot reach an internal address).
    private static readonly HttpClient s_http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct).ConfigureAwait(false);
            if (addresses.Length == 0 || addresses.Any(IsInternal))
            {
                throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves to an internal address; the server fetches only public URLs");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses[0], context.DnsEndPoint.Port, ct).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static void Map(WebApplication app, IStixStore store, ServerOptions options, UserDirectory users)
    {
        var drafts = new DraftStore(store);
        var rest = app.MapGroup("/rest").WithTags("Ingestion and review");

        rest.MapPost("/ingest", async (HttpContext c) =>
        {
            var user = Auth.UserOf(c);
            if (user.Role == Role.Reader)
            {
                return Rest.Problem(403, "Not allowed to ingest", $"user '{user.Name}' is a reader; ingestion needs the analyst or admin role");
            }

            byte[] bytes;
            string source;
            string? published = c.Request.Query["published"].FirstOrDefault(), lang = c.Request.Query["lang"].FirstOrDefault(), name = c.Request.Query["name"].FirstOrDefault();
            if (c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
            {
                JsonNode? body;
                try
                {
                    body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
                }
                catch (JsonException ex)
                {
                    return Rest.Problem(400, "Bad JSON", ex.Message);
                }

                if (body is not JsonObject fields || fields.Any(f => f.Key is "published" or "lang" or "name" or "url" or "text" && f.Value is not null && f.Value.GetValueKind() != JsonValueKind.String))
                {
                    return Rest.Problem(400, "Bad request", "send a JSON object whose text, url, published, lang and name are strings");
                }

                published = (string?)fields["published"] ?? published;
                lang = (string?)fields["lang"] ?? lang;
                name = (string?)fields["name"] ?? name;
                if ((string?)fields["url"] is { } url)
                {
                    if (await CheckUrlAsync(url).ConfigureAwait(false) is { } refused)
                    {
                        return Rest.Problem(400, "URL refused", refused);
                    }

                    try
                    {
                        using var response = await s_http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, c.RequestAborted).ConfigureAwait(false);
                        if (!response.IsSuccessStatusCode)
                        {
                            return Rest.Problem(502, "Fetch failed", $"GET {url} answered {(int)response.StatusCode}");
                        }

                        bytes = await Bodies.ReadAsync(await response.Content.ReadAsStreamAsync(c.RequestAborted).ConfigureAwait(false), options.MaxContentLength, c.RequestAborted).ConfigureAwait(false)
                            ?? throw new IOException($"the document passes {options.MaxContentLength} bytes");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return Rest.Problem(502, "Fetch failed", $"GET {url} failed: {ex.Message}");
                    }

                    source = url;
                }
                else if ((string?)fields["text"] is { } text)
                {
                    bytes = Encoding.UTF8.GetBytes(text);
                    source = "rest:" + user.Name;
                }
                else
                {
                    return Rest.Problem(400, "Nothing to ingest", "send {\"text\": \"…\"} or {\"url\": \"https://…\"} (optionally published, lang, name), or the document itself as the body");
                }
            }
            else
            {
                if (await Bodies.ReadAsync(c.Request.Body, options.MaxContentLength, c.RequestAborted).ConfigureAwait(false) is not { } body)
                {
                    return Rest.Problem(413, "Request too large", $"the document passes {options.MaxContentLength} bytes");
                }

                bytes = body;
                source = "rest:" + user.Name;
            }

            DateOnly? date = null;
            if (published is not null)
            {
                if (!DateOnly.TryParseExact(published, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return Rest.Problem(400, "Bad published date", $"published is a date such as 2021-07-21, not '{published}'");
                }

                date = d;
            }

            var doc = DocumentReader.Read(bytes);
            string language = lang is "ja" or "en" ? lang : Extractor.DetectLanguage(doc.Text);
            var access = new AccessFilter(user.Clearance, options.UnmarkedTlp);
            var gazetteer = await GazetteerBuilder.BuildAsync(store, access, c.RequestAborted).ConfigureAwait(false);
            var entities = await Extractor.ExtractAsync(doc.Text, gazetteer, new ExtractOptions
            {
                Lang = language,
                Published = date,
                FalsePositives = await drafts.FalsePositivesAsync(c.RequestAborted).ConfigureAwait(false),
                OwnHosts = Uri.TryCreate(source, UriKind.Absolute, out var u) && u.Host.Length > 0 ? new HashSet<string>([u.Host], StringComparer.OrdinalIgnoreCase) : null,
            }, store, access, c.RequestAborted).ConfigureAwait(false);
            var draft = await drafts.CreateAsync(name ?? doc.Title ?? doc.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "report", language, date, source, entities, c.RequestAborted, user.Clearance).ConfigureAwait(false);
            await users.AuditAsync(user.Name, "ingest", $"{draft.Id}: {draft.Items.Count} items from {source}").ConfigureAwait(false);
            return Results.Content(DraftStore.ToJson(draft).ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8, 201);
        }).WithSummary("Ingest a document (the body, or JSON with text or url; published, lang, name) into a draft report, not shared until reviewed.");

        // A draft holds names its maker may see: only users cleared as high see it (command-line drafts count as RED).
        static bool MaySee(User user, Draft d) => (d.Clearance ?? TlpLevel.Red) <= user.Clearance;

        rest.MapGet("/drafts", async (HttpContext c) =>
        {
            var user = Auth.UserOf(c);
            if (user.Role == Role.Reader)
            {
                return Rest.Problem(403, "Not allowed", "drafts are for analysts and admins");
            }

            var mine = new List<string>();
            foreach (var id in await drafts.ListAsync(c.RequestAborted).ConfigureAwait(false))
            {
                if (await drafts.GetAsync(id, c.RequestAborted).ConfigureAwait(false) is { } d && MaySee(user, d))
                {
                    mine.Add(id);
                }
            }

            return Results.Json(mine);
        }).WithSummary("The ids of the drafts you may see.");

        rest.MapGet("/drafts/{id}", async (HttpContext c, string id) =>
        {
            if (Auth.UserOf(c).Role == Role.Reader)
            {
                return Rest.Problem(403, "Not allowed", "drafts are for analysts and admins");
            }

            return await drafts.GetAsync(id, c.RequestAborted).ConfigureAwait(false) is { } d && MaySee(Auth.UserOf(c), d)
                ? Results.Content(DraftStore.ToJson(d).ToJsonString(), "application/json; charset=utf-8", Encoding.UTF8)
                : Rest.Problem(404, "Draft not found", $"no draft '{id}'");
        }).WithSummary("A draft with its items: kind, text, value, id, spans, rule, score and review status.");

        rest.MapPost("/drafts/{id}/review", async (HttpContext c, string id) =>
        {
            var user = Auth.UserOf(c);
            if (user.Role == Role.Reader)
            {
                return Rest.Problem(403, "Not allowed to review", $"user '{user.Name}' is a reader; review needs the analyst or admin role");
            }

            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(c.Request.Body, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                return Rest.Problem(400, "Bad JSON", ex.Message + "; send {\"accept\": [\"i1\"], \"reject\": [\"i2\"]} or {\"accept_all\": true}");
            }

            if (body is not JsonObject review
                || (review["accept"] is { } a && (a is not JsonArray aa || aa.Any(x => x?.GetValueKind() != JsonValueKind.String)))
                || (review["reject"] is { } rj && (rj is not JsonArray ra || ra.Any(x => x?.GetValueKind() != JsonValueKind.String)))
                || (review["accept_all"] is { } all && all.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)))
            {
                return Rest.Problem(400, "Bad request", "send {\"accept\": [\"i1\"], \"reject\": [\"i2\"]} (arrays of item ids) or {\"accept_all\": true}");
            }

            if (await drafts.GetAsync(id, c.RequestAborted).ConfigureAwait(false) is not { } target || !MaySee(user, target))
            {
                return Rest.Problem(404, "Not found", $"no draft '{id}'");
            }

            var accept = (review["accept"] as JsonArray ?? []).Select(n => (string)n!).ToList();
            var reject = (review["reject"] as JsonArray ?? []).Select(n => (string)n!).ToList();
            try
            {
                var r = await drafts.ReviewAsync(id, accept, reject, (bool?)review["accept_all"] ?? false, user.Name, c.RequestAborted).ConfigureAwait(false);
                await users.AuditAsync(user.Name, "review", $"{id}: {r.Accepted.Count} accepted, {r.Rejected.Count} rejected, {r.Written.Count(w => w.Succeeded)} objects written").ConfigureAwait(false);
                return Results.Json(new { accepted = r.Accepted, rejected = r.Rejected, written = r.Written.Select(w => new { id = w.Id, outcome = w.Outcome.ToString(), message = w.Message }) });
            }
            catch (KeyNotFoundException ex)
            {
                return Rest.Problem(404, "Not found", ex.Message);
            }
        }).WithSummary("Accept or reject items of a draft; accepted items are written to the store as STIX.");
    }

    // Only public addresses: a URL that resolves to loopback, private, link-local or unspecified addresses is refused.
    private static async Task<string?> CheckUrlAsync(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"'{url}' is not an http(s) URL";
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.Host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.Host).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            return $"cannot resolve {uri.Host}: {ex.Message}";
        }

        return addresses.FirstOrDefault(IsInternal) is { } bad ? $"{uri.Host} resolves to {bad}, an internal address; the server fetches only public URLs" : null;
    }

    private static bool IsInternal(IPAddress a)
    {
        if (a.IsIPv4MappedToIPv6)
        {
            a = a.MapToIPv4();
        }

        if (a.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = a.GetAddressBytes();

            // IPv4 inside IPv6: IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) count as that IPv4 address.
            if (v6.Take(12).All(x => x == 0) || (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6.Skip(4).Take(8).All(x => x == 0)))
            {
                return IsInternal(new IPAddress(v6[12..16]));
            }

            if (v6[0] == 0x20 && v6[1] == 0x02)
            {
                return IsInternal(new IPAddress(v6[2..6]));
            }

            if (a.IsIPv6Multicast)
            {
                return true;
            }
        }

        if (IPAddress.IsLoopback(a) || a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any) || a.IsIPv6LinkLocal || a.IsIPv6SiteLocal || a.IsIPv6UniqueLocal)
        {
            return true;
        }

        var b = a.GetAddressBytes();
        return a.AddressFamily == AddressFamily.InterNetwork && (b[0] == 10 || b[0] == 127 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254) || b[0] == 0 || (b[0] == 100 && b[1] is >= 64 and <= 127) || b[0] >= 224);
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ThreatLedger.Ledger;
using ThreatLedger.Stix;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>
/// The REST API (JSON, errors as RFC 9457 problem details, described at /openapi/v1.json and browsable
/// at /docs): search, objects and versions, neighbours, the brief's questions Q1–Q5, exports (STIX
/// bundle, CSV of claims) and an Atom feed of reports. Every read runs under the caller's clearance.
/// </summary>
internal static class Rest
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Map(WebApplication app, IStixStore store, ServerOptions options)
    {
        var rest = app.MapGroup("/rest").WithTags("ThreatLedger REST");
        AccessFilter Access(HttpContext c) => new(Auth.UserOf(c).Clearance, options.UnmarkedTlp);

        rest.MapGet("/search", async (HttpContext c, string q, string? type, int? limit) =>
        {
            if (string.IsNullOrWhiteSpace(q))
            {
                return Problem(400, "Missing search text", "give the words to look for in q, e.g. /rest/search?q=APT40");
            }

            // Quotes group words into phrases and are not searched for: a query of quotes alone asks for nothing.
            if (TextFolding.Words(q).Count == 0)
            {
                return Problem(400, "Empty search text", "q is empty once its double quotes are set aside; give words to look for, e.g. q=APT40, or a phrase in double quotes, e.g. q=\"Cobalt Strike\"");
            }

            var hits = await store.SearchAsync(new SearchQuery { Text = q, Types = type is null ? null : type.Split(','), Limit = Math.Clamp(limit ?? 20, 1, 200), Access = Access(c) }, c.RequestAborted).ConfigureAwait(false);
            return Json(hits);
        }).WithSummary("Search names, aliases, external ids and text (case-, width- and script-insensitive; \"double quotes\" make a phrase), best first.");

        rest.MapGet("/objects/{id}", async (HttpContext c, string id, string? version, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "as_of")] string? asOf) =>
        {
            StixTimestamp? v = null, at = null;
            if (version is not null && !StixTimestamp.TryParse(version, out var vv))
            {
                return Problem(400, "Bad version", $"version must be a STIX timestamp, not '{version}'");
            }
            else if (version is not null)
            {
                v = StixTimestamp.Parse(version);
            }

            if (asOf is not null && !TryMoment(asOf, out at))
            {
                return Problem(400, "Bad as_of", $"as_of must be a timestamp or a date (YYYY-MM-DD), not '{asOf}'");
            }

            var o = await store.GetAsync(id, v, at, Access(c), c.RequestAborted).ConfigureAwait(false);
            return o is null ? Problem(404, "Object not found", $"no object '{id}' that you may see") : Results.Bytes(o.Json.ToArray(), "application/stix+json;version=2.1");
        }).WithSummary("One object: the latest version, a given version, or as the store knew it at a moment.");

        rest.MapGet("/objects/{id}/versions", async (HttpContext c, string id) =>
        {
            var versions = await store.GetVersionsAsync(id, null, Access(c), c.RequestAborted).ConfigureAwait(false);
            return versions.Count == 0
                ? Problem(404, "Object not found", $"no object '{id}' that you may see")
                : Json(versions.Select(o => new { version = o.Version.ToString(), date_added = o.DateAdded.ToString(), latest = o.IsLatest }));
        }).WithSummary("Every version of an object, oldest first, with when the store learned it.");

        rest.MapGet("/objects/{id}/neighbors", async (HttpContext c, string id, int? depth, string? kind, int? limit) =>
        {
            var neighbors = await store.NeighborsAsync(id, new NeighborQuery
            {
                Depth = Math.Clamp(depth ?? 1, 1, 4),
                Kinds = kind?.Split(','),
                Limit = Math.Clamp(limit ?? 200, 1, 5000),
                Access = Access(c),
            }, c.RequestAborted).ConfigureAwait(false);
            return Json(neighbors.Select(n => new { n.Id, n.Type, n.Depth, n.From, direction = n.Direction.ToString().ToLowerInvariant(), n.Kind, n.Via, in_store = n.InStore }));
        }).WithSummary("The graph around an object: relationships, sightings and embedded references, nearest first.");

        rest.MapGet("/attribution", async (HttpContext c, string name, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "as_of")] string? asOf, bool? direct) =>
        {
            DateOnly? by = null;
            if (asOf is not null)
            {
                if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    return Problem(400, "Bad as_of", $"as_of is a date (claims made by then), such as 2021-07-01, not '{asOf}'");
                }

                by = d;
            }

            if ((await AttributionQueries.ResolveAsync(store, name, Access(c)).ConfigureAwait(false)).Count == 0)
            {
                return Problem(404, "Unknown name", $"no group, campaign or actor is named '{name}' (by name or alias)");
            }

            return Json(await AttributionQueries.ClaimsAboutAsync(store, name, by, Access(c), direct ?? false).ConfigureAwait(false));
        }).WithSummary("Q1/Q4: every claim of attribution about the entity behind a name (claims made by as_of, if given).");

        rest.MapGet("/statements", async (HttpContext c, string? about) =>
            Json(await AttributionQueries.StatementsAsync(store, about, Access(c)).ConfigureAwait(false)))
            .WithSummary("Q2: joint statements with their participants, the parties that declined, and their claims.");

        rest.MapGet("/aliases", async (HttpContext c, string name) =>
        {
            var rows = await EntityResolution.AliasesAsync(store, name, Access(c)).ConfigureAwait(false);
            return rows.Count == 0 ? Problem(404, "Unknown name", $"nothing is named '{name}'") : Json(rows);
        }).WithSummary("Q3: every name of the entity, who coined it and where it is recorded.");

        rest.MapGet("/resolve", async (HttpContext c, string name) =>
        {
            var entity = await EntityResolution.ResolveAsync(store, name, Access(c)).ConfigureAwait(false);
            return entity is null ? Problem(404, "Unknown name", $"nothing is named '{name}'") : Json(entity);
        }).WithSummary("The objects of every source that stand for a name, the representative first, and why.");

        rest.MapGet("/consensus", async (HttpContext c, string name) =>
        {
            var summary = await Consensus.SummariseAsync(store, name, Access(c)).ConfigureAwait(false);
            return summary is null ? Problem(404, "Unknown name", $"nothing is named '{name}'") : Json(summary);
        }).WithSummary("How many governments and others attribute the entity, per sponsor, and whether they disagree.");

        rest.MapGet("/reports", async (HttpContext c, string about, int? limit) =>
        {
            var members = await AttributionQueries.ResolveAsync(store, about, Access(c)).ConfigureAwait(false);
            if (members.Count == 0)
            {
                return Problem(404, "Unknown name", $"nothing is named '{about}'");
            }

            var reports = await ReportsAsync(store, members, Access(c), c.RequestAborted).ConfigureAwait(false);
            return Json(reports.Take(Math.Clamp(limit ?? 100, 1, 1000)));
        }).WithSummary("Q5: reports that mention the entity behind a name, newest first, in any language.");

        rest.MapGet("/export", async (HttpContext c) =>
        {
            c.Response.ContentType = "application/stix+json;version=2.1";
            c.Response.Headers.ContentDisposition = "attachment; filename=\"threatledger-export.json\"";
            await StixExport.WriteBundleAsync(store, c.Response.Body, Access(c), ct: c.RequestAborted).ConfigureAwait(false);
            return Results.Empty;
        }).WithSummary("The latest version of every object you may see, as one STIX 2.1 bundle.");

        rest.MapGet("/claims.csv", async (HttpContext c, string? name) =>
        {
            IReadOnlyList<ClaimRow> claims = name is null
                ? await AllClaimsAsync(store, Access(c), c.RequestAborted).ConfigureAwait(false)
                : await AttributionQueries.ClaimsAboutAsync(store, name, null, Access(c)).ConfigureAwait(false);
            var sb = new StringBuilder("claim_id,date,author,subject,sponsor,response,confidence,estimative_phrase,stance,relation,source\r\n");
            foreach (var r in claims)
            {
                sb.AppendJoin(',', new[] { r.ClaimId, r.Date, r.Author, r.Subject, r.Sponsor, r.Response, r.Confidence?.ToString(CultureInfo.InvariantCulture), r.EstimativePhrase, r.Stance, r.Relation, r.Source }.Select(Csv)).Append("\r\n");
            }

            return Results.Text(sb.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
        }).WithSummary("Claims of attribution as CSV (RFC 4180): all of them, or those about the entity behind name.");

        // Anonymous: only what an unauthenticated reader may see (TLP:CLEAR, and unmarked objects if the server treats them as CLEAR).
        app.MapGet("/feed.atom", async (HttpContext c) =>
        {
            var access = new AccessFilter(TlpLevel.Clear, options.UnmarkedTlp);
            var page = await store.QueryAsync(new ObjectQuery { Types = ["report"], Limit = 1000, Access = access }, c.RequestAborted).ConfigureAwait(false);
            var reports = page.Items.Select(o => JsonDocument.Parse(o.Json)).ToList();
            try
            {
                return Results.Text(Atom(c, reports), "application/atom+xml; charset=utf-8", Encoding.UTF8);
            }
            finally
            {
                reports.ForEach(d => d.Dispose());
            }
        }).WithTags("Feeds").WithSummary("Atom feed of reports an anonymous reader may see, newest first.");
    }

    public static IResult Problem(int status, string title, string detail) => Results.Problem(detail, statusCode: status, title: title);

    private static IResult Json<T>(T value) => Results.Json(value, s_json);

    private static bool TryMoment(string text, out StixTimestamp? at)
    {
        at = null;
        if (StixTimestamp.TryParse(text, out var t))
        {
            at = t;
            return true;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
        {
            at = new StixTimestamp(DateTime.SpecifyKind(d, DateTimeKind.Utc), 3);
            return true;
        }

        return false;
    }

    /// <summary>A report that mentions an entity.</summary>
    private sealed record ReportRow(string Id, string? Name, string? Published, string? Lang, IReadOnlyList<string> Mentions);

    private static async Task<List<ReportRow>> ReportsAsync(IStixStore store, IReadOnlyList<string> members, AccessFilter access, CancellationToken ct)
    {
        var found = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var m in members)
        {
            foreach (var e in await store.EdgesAsync(m, EdgeDirection.Incoming, ["object_refs"], access, cancellationToken: ct).ConfigureAwait(false))
            {
                if (e.Type == "report")
                {
                    (found.TryGetValue(e.Id, out var set) ? set : found[e.Id] = new HashSet<string>(StringComparer.Ordinal)).Add(m);
                }
            }
        }

        var rows = new List<ReportRow>();
        foreach (var (id, mentions) in found)
        {
            if (await store.GetAsync(id, access: access, cancellationToken: ct).ConfigureAwait(false) is { } o)
            {
                using var doc = JsonDocument.Parse(o.Json);
                var r = doc.RootElement;
                rows.Add(new ReportRow(id, Str(r, "name"), Str(r, "published"), Str(r, "lang"), mentions.Order(StringComparer.Ordinal).ToList()));
            }
        }

        return rows.OrderByDescending(r => r.Published, StringComparer.Ordinal).ToList();
    }

    private static async Task<IReadOnlyList<ClaimRow>> AllClaimsAsync(IStixStore store, AccessFilter access, CancellationToken ct)
    {
        var rows = new List<ClaimRow>();
        string? next = null;
        do
        {
            var page = await store.QueryAsync(new ObjectQuery { Types = ["relationship"], Limit = 1000, Next = next, Access = access }, ct).ConfigureAwait(false);
            foreach (var o in page.Items)
            {
                // Cheap filter first: only attributed-to relationships carrying the ledger extension are claims.
                if (o.Json.Span.IndexOf("\"attributed-to\""u8) >= 0 && o.Json.Span.IndexOf(Encoding.UTF8.GetBytes(LedgerExtension.Id)) >= 0
                    && await AttributionQueries.ClaimAsync(store, o.Id, access).ConfigureAwait(false) is { } claim)
                {
                    rows.Add(claim);
                }
            }

            next = page.Next;
        }
        while (next is not null);
        return rows.OrderBy(r => r.Date ?? string.Empty, StringComparer.Ordinal).ToList();
    }

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // Quote when needed; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.
        string v = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return v.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + v.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : v;
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Atom(HttpContext c, List<JsonDocument> reports)
    {
        string self = $"{c.Request.Scheme}://{c.Request.Host}/feed.atom";
        var sb = new StringBuilder();
        using (var w = XmlWriter.Create(sb, new XmlWriterSettings { Indent = true, OmitXmlDeclaration = false }))
        {
            const string ns = "http://www.w3.org/2005/Atom";
            w.WriteStartElement("feed", ns);
            w.WriteElementString("title", ns, "ThreatLedger: reports");
            w.WriteElementString("id", ns, self);
            var ordered = reports.Select(d => d.RootElement).OrderByDescending(r => Str(r, "published") ?? Str(r, "modified"), StringComparer.Ordinal).ToList();
            w.WriteElementString("updated", ns, ordered.Select(r => Str(r, "modified")).Where(m => m is not null).DefaultIfEmpty("1970-01-01T00:00:00Z").Max(StringComparer.Ordinal));
            w.WriteStartElement("link", ns);
            w.WriteAttributeString("rel", "self");
            w.WriteAttributeString("href", self);
            w.WriteEndElement();
            foreach (var r in ordered)
            {
                w.WriteStartElement("entry", ns);
                w.WriteElementString("id", ns, "urn:stix:" + Str(r, "id"));
                w.WriteElementString("title", ns, Str(r, "name") ?? Str(r, "id"));
                w.WriteElementString("updated", ns, Str(r, "modified") ?? Str(r, "published") ?? string.Empty);
                if (Str(r, "published") is { } published)
                {
                    w.WriteElementString("published", ns, published);
                }

                if (Str(r, "description") is { } description)
                {
                    w.WriteElementString("summary", ns, description);
                }

                w.WriteStartElement("link", ns);
                w.WriteAttributeString("href", $"{c.Request.Scheme}://{c.Request.Host}/rest/objects/{Str(r, "id")}");
                w.WriteEndElement();
                w.WriteEndElement();
            }

            w.WriteEndElement();
        }

        return sb.ToString();
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ThreatLedger.Stix;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>
/// TAXII 2.1 (OASIS TAXII Version 2.1, sections 4–5): discovery, one API root, collections, objects,
/// object by id, versions, manifest, status. Every read applies the caller's TLP clearance inside the
/// store query, so hidden objects are absent from pages, counts, headers and by-id answers (404).
/// </summary>
internal static class Taxii
{
    public const string MediaType = "application/taxii+json;version=2.1";
    public const string StixMediaType = "application/stix+json;version=2.1";

    /// <summary>The default collection: every accepted object.</summary>
    public const string DefaultCollection = CollectionDirectory.DefaultId;

    private static readonly JsonWriterOptions s_writer = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(WebApplication app, IStixStore store, ServerOptions options, UserDirectory users)
    {
        var statuses = new ConcurrentDictionary<string, ImportStatus>(StringComparer.Ordinal);
        var collections = new CollectionDirectory(store);
        var cursors = new CursorProtector(store);

        app.MapGet("/taxii2/", (HttpContext c) => Write(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("title", options.Title);
            w.WriteString("description", "ThreatLedger: public attribution of cyber operations, as STIX 2.1");
            w.WriteString("default", Root(c));
            w.WriteStartArray("api_roots");
            w.WriteStringValue(Root(c));
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        app.MapGet("/api/", (HttpContext c) => Write(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("title", options.Title + " default API root");
            w.WriteStartArray("versions");
            w.WriteStringValue(MediaType);
            w.WriteEndArray();
            w.WriteNumber("max_content_length", options.MaxContentLength);
            w.WriteEndObject();
        }));

        // Only the collections the caller's role may read or write are listed (section 5.1).
        app.MapGet("/api/collections/", async (HttpContext c) =>
        {
            var user = Auth.UserOf(c);
            var list = (await collections.ListAsync(c.RequestAborted).ConfigureAwait(false)).Where(v => v.CanRead.Contains(user.Role) || v.CanWrite.Contains(user.Role)).ToList();
            return Write(c, 200, w =>
            {
                w.WriteStartObject();
                if (list.Count > 0)
                {
                    w.WriteStartArray("collections");
                    list.ForEach(v => Collection(w, v, user));
                    w.WriteEndArray();
                }

                w.WriteEndObject();
            });
        });

        app.MapGet("/api/collections/{id}/", async (HttpContext c, string id) =>
        {
            var (view, bad) = await ViewAsync(c, id, write: null).ConfigureAwait(false);
            return bad ?? Write(c, 200, w => Collection(w, view!, Auth.UserOf(c)));
        });

        app.MapGet("/api/collections/{id}/objects/", (HttpContext c, string id) => ReadObjectsAsync(c, id, null));

        app.MapGet("/api/collections/{id}/objects/{objectId}/", (HttpContext c, string id, string objectId) => ReadObjectsAsync(c, id, objectId));

        app.MapGet("/api/collections/{id}/objects/{objectId}/versions/", (HttpContext c, string id, string objectId) =>
            ReadAsync(c, id, objectId, true, q => store.ManifestAsync(q with { Versions = VersionFilter.AllVersions }, c.RequestAborted), m => m.DateAdded, (w, page) =>
            {
                w.WriteStartObject();
                More(w, page);
                w.WriteStartArray("versions");
                foreach (var m in page.Items.OrderBy(m => m.Version.Ticks))
                {
                    w.WriteStringValue(m.Version.ToString());
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));

        app.MapGet("/api/collections/{id}/manifest/", (HttpContext c, string id) =>
            ReadAsync(c, id, null, false, q => store.ManifestAsync(q, c.RequestAborted), m => m.DateAdded, (w, page) =>
            {
                w.WriteStartObject();
                More(w, page);
                if (page.Items.Count > 0)
                {
                    w.WriteStartArray("objects");
                    foreach (var m in page.Items)
                    {
                        w.WriteStartObject();
                        w.WriteString("id", m.Id);
                        w.WriteString("date_added", m.DateAdded.ToString());
                        w.WriteString("version", m.Version.ToString());
                        w.WriteString("media_type", m.MediaType);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }));

        // Objects (all, or one id's versions) under the caller's clearance: the page's JSON goes from the
        // store into one pooled buffer and from there into the response, with its length known.
        async Task<IResult> ReadObjectsAsync(HttpContext c, string id, string? objectId)
        {
            var (query, user, bad) = await ReadQueryAsync(c, id, objectId, versionsOnly: false).ConfigureAwait(false);
            if (bad is not null)
            {
                return bad;
            }

            var body = new PooledBuffer();
            try
            {
                var page = await store.QueryJsonAsync(query, body, c.RequestAborted).ConfigureAwait(false);
                if (objectId is not null && page.Count == 0)
                {
                    body.Dispose();
                    return Error(c, 404, "Object not found", $"no object '{objectId}' (with these filters) in this collection");
                }

                string? next = page.Next is { } n ? await cursors.ProtectAsync(n, user).ConfigureAwait(false) : null;
                DateHeaders(c, page.FirstAdded, page.LastAdded);

                return new EnvelopeResult(page.More, next, page.Count, body);
            }
            catch
            {
                body.Dispose();
                throw;
            }
        }

        // Reads a page (objects, manifest entries) under the caller's clearance; by id, an empty answer is 404.
        async Task<IResult> ReadAsync<T>(HttpContext c, string id, string? objectId, bool versionsOnly, Func<ObjectQuery, Task<Page<T>>> fetch, Func<T, StixTimestamp> added, Action<Utf8JsonWriter, Page<T>> write)
        {
            var (query, user, bad) = await ReadQueryAsync(c, id, objectId, versionsOnly).ConfigureAwait(false);
            if (bad is not null)
            {
                return bad;
            }

            var page = await fetch(query).ConfigureAwait(false);
            if (page.Next is { } next)
            {
                page = page with { Next = await cursors.ProtectAsync(next, user).ConfigureAwait(false) };
            }

            if (objectId is not null && page.Items.Count == 0)
            {
                return Error(c, 404, "Object not found", $"no object '{objectId}' (with these filters) in this collection");
            }

            var times = page.Items.Select(added).ToList();
            DateHeaders(c, times.Count == 0 ? null : times.MinBy(t => t.Ticks), times.Count == 0 ? null : times.MaxBy(t => t.Ticks));
            return Write(c, 200, w => write(w, page));
        }

        // A read's query: the collection (one the caller's role may read), the filters, the view's limits, and the
        // caller's own cursor opened; or the problem to answer instead.
        async Task<(ObjectQuery Query, string User, IResult? Problem)> ReadQueryAsync(HttpContext c, string id, string? objectId, bool versionsOnly)
        {
            string user = Auth.UserOf(c).Name;
            var (view, bad) = await ViewAsync(c, id, write: false).ConfigureAwait(false);
            if (bad is not null)
            {
                return (new ObjectQuery(), user, bad);
            }

            if (!TryQuery(c, options, out var query, out var problem, objectId, versionsOnly))
            {
                return (query, user, Error(c, 400, "Bad filter", problem));
            }

            query = Within(view!, query);
            if (query.Next is { } given)
            {
                query = query with { Next = await cursors.UnprotectAsync(given, user).ConfigureAwait(false) };
            }

            return (query, user, null);
        }

        app.MapPost("/api/collections/{id}/objects/", async (HttpContext c, string id) =>
        {
            var (view, bad) = await ViewAsync(c, id, write: true).ConfigureAwait(false);
            if (bad is not null)
            {
                return bad;
            }

            var user = Auth.UserOf(c);

            if (!IsTaxiiMediaType(c.Request.ContentType))
            {
                return Error(c, 415, "Unsupported media type", $"POST a TAXII envelope with Content-Type: {MediaType}");
            }

            if (c.Request.ContentLength is > 0 and var length && length > options.MaxContentLength)
            {
                return Error(c, 413, "Request too large", $"the body is {length} bytes; this API root accepts at most {options.MaxContentLength} (max_content_length)");
            }

            // Read the body within the limit, then import in the background; the status resource reports progress.
            if (await Bodies.ReadAsync(c.Request.Body, options.MaxContentLength, c.RequestAborted).ConfigureAwait(false) is not { } bytes)
            {
                return Error(c, 413, "Request too large", $"the body exceeds max_content_length ({options.MaxContentLength} bytes)");
            }

            // What is not an envelope is refused now (TAXII 2.1 section 5.5: 400), not in a status; the
            // entries of a well-formed envelope are judged one by one in the status.
            var import = new ImportOptions();
            if (!TaxiiEnvelope.TryCount(bytes, import.Reader, out int count, out string problem))
            {
                return Error(c, 400, "Not a TAXII envelope", problem);
            }

            var status = new ImportStatus(Guid.NewGuid().ToString(), DateTime.UtcNow, user.Name, count, store);
            statuses[status.Id] = status;
            status.Worker = Task.Run(async () =>
            {
                try
                {
                    var access = new AccessFilter(user.Clearance, options.UnmarkedTlp);
                    var kept = await status.FilterAsync(bytes, async o =>
                    {
                        if (!view!.Holds(o.Type))
                        {
                            return $"collection '{view.Title}' holds only {string.Join(", ", view.Types!)}; post {o.Type} objects to another collection";
                        }

                        // An object already stored above the writer's clearance cannot be added to (nor its versions probed);
                        // a writer who sees everything needs no look-up.
                        string id = o.Id.ToString();
                        return (user.Clearance < TlpLevel.Red || !access.UnmarkedVisible) && await store.GetAsync(id).ConfigureAwait(false) is not null && await store.GetAsync(id, access: access).ConfigureAwait(false) is null
                            ? $"'{id}' cannot be written by '{user.Name}'"
                            : null;
                    }).ConfigureAwait(false);
                    // Saved now (what was refused included) and as batches are written, without waiting: the store
                    // serialises writes, and the import must not queue behind its own status.
                    _ = status.SaveAsync();
                    using var input = new MemoryStream(kept, writable: false);
                    var summary = await StixImporter.ImportAsync(store, input, "taxii-post", import, batchWritten: status.Written).ConfigureAwait(false);
                    status.Complete(summary);
                    await users.AuditAsync(user.Name, "write", $"status {status.Id}: {summary.Total} objects, {summary.Added} added, {summary.NewVersions} new versions, {summary.Unchanged} unchanged, {summary.Failed} failed").ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    status.Fail(ex.Message);
                }

                await status.SaveFinalAsync().ConfigureAwait(false);
            });
            return Write(c, 202, w => status.Write(w));
        });

        // DELETE (section 5.7): write access, and only what the caller may see (a hidden object is 404, not 403).
        app.MapDelete("/api/collections/{id}/objects/{objectId}/", async (HttpContext c, string id, string objectId) =>
        {
            var (view, bad) = await ViewAsync(c, id, write: true).ConfigureAwait(false);
            if (bad is not null)
            {
                return bad;
            }

            var user = Auth.UserOf(c);
            if (!TryQuery(c, options, out var query, out var problem, objectId))
            {
                return Error(c, 400, "Bad filter", problem);
            }

            query = Within(view!, query);

            var visible = await store.ManifestAsync(query with { Versions = VersionFilter.AllVersions, Limit = 100_000 }, c.RequestAborted).ConfigureAwait(false);
            if (visible.Items.Count == 0)
            {
                return Error(c, 404, "Object not found", $"no object '{objectId}' in this collection");
            }

            // Versions the caller may not see (an older AMBER version under a newer GREEN one) are not theirs to delete.
            var every = await store.GetVersionsAsync(objectId, cancellationToken: c.RequestAborted).ConfigureAwait(false);
            if (every.Any(v => v.Tlp is { } t ? t > user.Clearance : options.UnmarkedTlp > user.Clearance))
            {
                return Error(c, 403, "Not allowed to delete", $"'{objectId}' cannot be deleted by '{user.Name}'");
            }

            // Without match[version] the object goes with every version (GET's default of "last" is for reading).
            var versions = c.Request.Query.ContainsKey("match[version]") ? query.Versions : VersionFilter.AllVersions;
            int deleted = await store.DeleteAsync(objectId, versions, c.RequestAborted).ConfigureAwait(false);
            await users.AuditAsync(user.Name, "delete", $"{objectId}: {deleted} versions").ConfigureAwait(false);
            return deleted == 0
                ? Error(c, 404, "Object not found", $"no version of '{objectId}' matches match[version]")
                : Results.StatusCode(200);
        });

        // A status of this process, else one saved by an earlier one (a restart does not lose it).
        app.MapGet("/api/status/{statusId}/", async (HttpContext c, string statusId) =>
        {
            var caller = Auth.UserOf(c);
            bool mine(string owner) => owner == caller.Name || caller.Role == Role.Admin;
            if (statuses.TryGetValue(statusId, out var status))
            {
                return mine(status.User) ? Write(c, 200, w => status.Write(w)) : Error(c, 404, "Status not found", $"no status '{statusId}' for this user");
            }

            return statusId.Length <= 64 && await store.GetSettingAsync(ImportStatus.SettingPrefix + statusId, c.RequestAborted).ConfigureAwait(false) is { } saved
                && ImportStatus.Restore(saved) is { } restored && mine(restored.User)
                ? Write(c, 200, w => restored.Status.WriteTo(w))
                : Error(c, 404, "Status not found", $"no status '{statusId}' for this user");
        });

        // The view with that id, if the caller's role may read it (write: null = read or write; true = write; false = read).
        async Task<(CollectionView? View, IResult? Problem)> ViewAsync(HttpContext c, string id, bool? write)
        {
            var view = await collections.GetAsync(id, c.RequestAborted).ConfigureAwait(false);
            var role = Auth.UserOf(c).Role;
            if (view is null || !(view.CanRead.Contains(role) || view.CanWrite.Contains(role)))
            {
                return (null, Error(c, 404, "Collection not found", $"there is no collection '{id}' for you; GET /api/collections/ lists yours"));
            }

            if (write == true && !view.CanWrite.Contains(role))
            {
                return (null, Error(c, 403, "Not allowed to write", $"the {role.ToString().ToLowerInvariant()} role may not add to or delete from collection '{view.Title}'"));
            }

            if (write == false && !view.CanRead.Contains(role))
            {
                return (null, Error(c, 403, "Not allowed to read", $"the {role.ToString().ToLowerInvariant()} role may not read collection '{view.Title}'"));
            }

            return (view, null);
        }
    }

    /// <summary>Whether a Content-Type names TAXII 2.1 JSON.</summary>
    public static bool IsTaxiiMediaType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        var parts = contentType.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 0 && parts[0].Equals("application/taxii+json", StringComparison.OrdinalIgnoreCase)
            && parts.Skip(1).All(p => p.Replace(" ", string.Empty, StringComparison.Ordinal).Equals("version=2.1", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Whether an Accept header allows TAXII 2.1 JSON (missing and wildcards do).</summary>
    public static bool Accepts(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return true;
        }

        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            string type = parts[0].ToLowerInvariant();
            var version = parts.Skip(1).FirstOrDefault(p => p.StartsWith("version", StringComparison.OrdinalIgnoreCase));
            if (type is "*/*" or "application/*" || (type == "application/taxii+json" && (version is null || version.Replace(" ", string.Empty, StringComparison.Ordinal) == "version=2.1")))
            {
                return true;
            }
        }

        return false;
    }

    public static IResult Error(HttpContext c, int status, string title, string description) => Write(c, status, w =>
    {
        w.WriteStartObject();
        w.WriteString("title", title);
        w.WriteString("description", description);
        w.WriteString("http_status", status.ToString(CultureInfo.InvariantCulture));
        w.WriteEndObject();
    });

    // A view limited to some types answers only those, whatever match[type] asks.
    private static ObjectQuery Within(CollectionView view, ObjectQuery query) =>
        view.Types is null ? query : query with { Types = query.Types is null ? view.Types : query.Types.Intersect(view.Types, StringComparer.Ordinal).DefaultIfEmpty("x-none-of-this-view").ToList() };

    private static void Collection(Utf8JsonWriter w, CollectionView view, User user)
    {
        w.WriteStartObject();
        w.WriteString("id", view.Id);
        w.WriteString("title", view.Title);
        if (view.Description is not null)
        {
            w.WriteString("description", view.Description);
        }

        w.WriteBoolean("can_read", view.CanRead.Contains(user.Role));
        w.WriteBoolean("can_write", view.CanWrite.Contains(user.Role));
        w.WriteStartArray("media_types");
        w.WriteStringValue(StixMediaType);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static bool TryQuery(HttpContext c, ServerOptions options, out ObjectQuery query, out string problem, string? objectId = null, bool versionsOnly = false)
    {
        var q = c.Request.Query;
        query = new ObjectQuery();
        problem = string.Empty;
        int limit = options.MaxPageSize;
        if (q["limit"].FirstOrDefault() is { } l)
        {
            // A limit above the page size (however large) is lowered to it, as TAXII allows.
            if (l.Length == 0 || !l.All(char.IsAsciiDigit) || l.TrimStart('0').Length == 0)
            {
                problem = $"limit must be a positive whole number, not '{l}'";
                return false;
            }

            string digits = l.TrimStart('0');
            limit = digits.Length <= 9 ? Math.Min(int.Parse(digits, CultureInfo.InvariantCulture), options.MaxPageSize) : options.MaxPageSize;
        }

        StixTimestamp? addedAfter = null;
        if (q["added_after"].FirstOrDefault() is { } a)
        {
            if (!StixTimestamp.TryParse(a, out var t))
            {
                problem = $"added_after must be a timestamp such as 2021-07-19T00:00:00.000Z, not '{a}'";
                return false;
            }

            addedAfter = t;
        }

        VersionFilter versions;
        try
        {
            versions = VersionFilter.Parse(versionsOnly ? null : q["match[version]"].FirstOrDefault());
        }
        catch (FormatException ex)
        {
            problem = ex.Message;
            return false;
        }

        var ids = List(q["match[id]"]);
        if (objectId is not null)
        {
            ids = [objectId];
        }

        query = new ObjectQuery
        {
            Ids = ids,
            Types = versionsOnly ? null : List(q["match[type]"]),
            SpecVersions = versionsOnly ? null : List(q["match[spec_version]"]),
            Versions = versions,
            AddedAfter = addedAfter,
            Limit = limit,
            Next = q["next"].FirstOrDefault(),
            Access = new AccessFilter(Auth.UserOf(c).Clearance, options.UnmarkedTlp),
        };
        return true;
    }

    private static List<string>? List(Microsoft.Extensions.Primitives.StringValues values)
    {
        var list = values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        return list.Count == 0 ? null : list;
    }

    private static void More<T>(Utf8JsonWriter w, Page<T> page)
    {
        w.WriteBoolean("more", page.More);
        if (page.Next is { } next)
        {
            w.WriteString("next", next);
        }
    }

    /// <summary>
    /// A TAXII envelope around a page of objects already written as JSON: the head (more, next), the
    /// objects, the tail, sent with a Content-Length (no chunking) from the pooled buffer, which it returns.
    /// </summary>
    private sealed class EnvelopeResult(bool more, string? next, int count, PooledBuffer objects) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (objects)
            {
                var head = new System.Buffers.ArrayBufferWriter<byte>(256);
                using (var w = new Utf8JsonWriter(head, s_writer))
                {
                    w.WriteStartObject();
                    w.WriteBoolean("more", more);
                    if (next is not null)
                    {
                        w.WriteString("next", next);
                    }

                    w.WriteEndObject();
                }

                // {"more":…} becomes {"more":…,"objects":[ … ]} (no "objects" member when the page is empty, as before).
                var open = head.WrittenSpan[..^1];
                ReadOnlySpan<byte> middle = count > 0 ? ",\"objects\":["u8 : default;
                ReadOnlySpan<byte> close = count > 0 ? "]}"u8 : "}"u8;
                var response = httpContext.Response;
                response.StatusCode = 200;
                response.ContentType = MediaType;
                response.ContentLength = open.Length + middle.Length + objects.Written.Length + close.Length;
                var pipe = response.BodyWriter;
                pipe.Write(open);
                pipe.Write(middle);
                pipe.Write(objects.Written.Span);
                pipe.Write(close);
                await pipe.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
            }
        }
    }

    private static void DateHeaders(HttpContext c, StixTimestamp? first, StixTimestamp? last)
    {
        if (first is { } f && last is { } l)
        {
            c.Response.Headers["X-TAXII-Date-Added-First"] = f.ToString();
            c.Response.Headers["X-TAXII-Date-Added-Last"] = l.ToString();
        }
    }

    private static string Root(HttpContext c) => $"{c.Request.Scheme}://{c.Request.Host}/api/";

    private static IResult Write(HttpContext c, int status, Action<Utf8JsonWriter> write) => new TaxiiResult(write, status);

    /// <summary>A TAXII JSON body written straight into the response (no intermediate copy of a page).</summary>
    private sealed class TaxiiResult(Action<Utf8JsonWriter> write, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = MediaType;
            var body = httpContext.Response.BodyWriter;
            using (var w = new Utf8JsonWriter(body, s_writer))
            {
                write(w);
            }

            await body.FlushAsync(httpContext.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A POST's progress (TAXII status resource, section 4.3.1). It is read by status requests while the
    /// import runs, so what it counts is kept under one lock: the envelope's entries (total), those refused
    /// before the import, and what the importer has written so far; the rest is pending.
    /// </summary>
    private sealed class ImportStatus(string id, DateTime requested, string user, int total, IStixStore store)
    {
        /// <summary>Saved statuses are store settings under this prefix and their id: the owner and the status resource.</summary>
        public const string SettingPrefix = "taxii-status:";

        private readonly Lock _lock = new();
        private readonly SemaphoreSlim _saving = new(1, 1);
        private long _lastSave;
        private bool _finalSaved;
        private readonly List<(string Id, string Message)> _refused = [];
        private long _succeeded;
        private long _failed;
        private ImportSummary? _summary;
        private string? _error;

        public string Id => id;

        public string User => user;

        public Task? Worker { get; set; }

        /// <summary>The envelope without the objects <paramref name="refuse"/> gives a reason for (those are refused, each with the reason).</summary>
        public async Task<byte[]> FilterAsync(byte[] envelope, Func<StixObject, Task<string?>> refuse)
        {
            var kept = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(kept))
            {
                w.WriteStartObject();
                w.WriteStartArray("objects");
                using var input = new MemoryStream(envelope, writable: false);
                foreach (var item in StixStreamReader.ReadObjects(input))
                {
                    if (item.Object is { } o)
                    {
                        if (await refuse(o).ConfigureAwait(false) is { } reason)
                        {
                            Refuse(o.Id.ToString(), reason);
                        }
                        else
                        {
                            StixJson.Write(w, o);
                        }
                    }
                    else
                    {
                        Refuse(
                            item.Index >= 0 ? "objects[" + item.Index.ToString(CultureInfo.InvariantCulture) + "]" : "envelope",
                            string.Join("; ", item.Diagnostics.Where(d => d.Severity == Stix.Validation.StixSeverity.Error).Select(d => d.Message)));
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            return kept.WrittenSpan.ToArray();
        }

        /// <summary>The importer's counts after a batch (called on its writing thread; the summary is copied, not kept).</summary>
        public void Written(ImportSummary soFar)
        {
            lock (_lock)
            {
                _succeeded = soFar.Succeeded;
                _failed = soFar.Failed;
            }

            // Saved at most once a second while the import runs, without holding up the importer (the store
            // serialises writes, so the save waits for the batch in progress).
            long now = Environment.TickCount64;
            if (now - Interlocked.Read(ref _lastSave) >= 1000)
            {
                Interlocked.Exchange(ref _lastSave, now);
                _ = SaveAsync();
            }
        }

        /// <summary>
        /// Saves the status as it is now into the store's settings, so it outlives this process. Saves run one at a
        /// time and each takes its snapshot when it runs, so the last one written holds the latest state.
        /// </summary>
        public async Task SaveAsync()
        {
            await _saving.WaitAsync().ConfigureAwait(false);
            try
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer))
                {
                    w.WriteStartObject();
                    w.WriteString("user", user);
                    w.WritePropertyName("status");
                    Write(w, asSaved: true);
                    w.WriteEndObject();
                }

                await store.SetSettingAsync(SettingPrefix + id, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The live status still answers; only its copy for after a restart is missing.
                Console.Error.WriteLine($"threatledger: could not save TAXII status {id}: {ex.Message}");
            }
            finally
            {
                _saving.Release();
            }
        }

        /// <summary>
        /// Saves the finished status; only then does it read as complete here, so a client that has seen it complete
        /// will find it after a restart too.
        /// </summary>
        public async Task SaveFinalAsync()
        {
            await SaveAsync().ConfigureAwait(false);
            lock (_lock)
            {
                _finalSaved = true;
            }
        }

        /// <summary>
        /// A status saved by an earlier process. One saved while pending belongs to an import that process did not
        /// finish: it is complete now, the entries it had not reached counted as failures that say so.
        /// </summary>
        public static (string User, JsonElement Status)? Restore(string saved)
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(saved);
            if (node?["user"]?.GetValue<string>() is not { } owner || node["status"] is not System.Text.Json.Nodes.JsonObject status)
            {
                return null;
            }

            if (status["status"]?.GetValue<string>() == "pending")
            {
                long pending = status["pending_count"]?.GetValue<long>() ?? 0;
                status["status"] = "complete";
                status["pending_count"] = 0;
                status["failure_count"] = (status["failure_count"]?.GetValue<long>() ?? 0) + pending;
                if (pending > 0)
                {
                    if (status["failures"] is not System.Text.Json.Nodes.JsonArray failures)
                    {
                        status["failures"] = failures = [];
                    }

                    failures.Add(new System.Text.Json.Nodes.JsonObject
                    {
                        ["id"] = "objects",
                        ["message"] = $"{pending} objects were not processed: the server stopped during the import; post the envelope again (objects already stored are reported unchanged)",
                    });
                }
            }

            return (owner, JsonSerializer.SerializeToElement(status));
        }

        public void Complete(ImportSummary summary)
        {
            lock (_lock)
            {
                _summary = summary;
                _succeeded = summary.Succeeded;
                _failed = summary.Failed;
            }
        }

        public void Fail(string error)
        {
            lock (_lock)
            {
                _error = error;
            }
        }

        public void Write(Utf8JsonWriter w) => Write(w, asSaved: false);

        private void Write(Utf8JsonWriter w, bool asSaved)
        {
            ImportSummary? s;
            string? error;
            long succeeded, failed;
            bool saved;
            (string Id, string Message)[] refused;
            lock (_lock)
            {
                saved = _finalSaved;
                s = _summary;
                error = _error;
                succeeded = _succeeded;
                failed = _failed + _refused.Count;
                refused = [.. _refused];
            }

            // Once set, the summary is final (the import has returned it), so its lists are read outside the lock.
            List<(string Id, string? Version, string Message)> failures =
            [
                .. (s?.Failures ?? []).Select(f => (Id: f.Id ?? "objects[" + f.Index.ToString(CultureInfo.InvariantCulture) + "]", f.Version, Message: f.Message ?? f.Outcome.ToString())),
                .. refused.Select(r => (r.Id, Version: (string?)null, r.Message)),
            ];

            // Until the import ends, what is neither written nor refused is pending; an import that stopped
            // early (its error below) failed the entries it did not reach.
            bool done = (s is not null || error is not null) && (asSaved || saved);
            long count = Math.Max(total, succeeded + failed);
            long unreached = count - succeeded - failed;
            if (done && unreached > 0)
            {
                failed += unreached;
                failures.Add(("objects", null, $"{unreached} objects were not processed: {error ?? "the import stopped before them"}"));
            }

            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("status", done ? "complete" : "pending");
            w.WriteString("request_timestamp", new StixTimestamp(requested, 6).ToString());
            w.WriteNumber("total_count", count);
            w.WriteNumber("success_count", succeeded);
            Successes(w, s?.Successes);
            w.WriteNumber("failure_count", failed);
            if (failures.Count > 0)
            {
                w.WriteStartArray("failures");
                foreach (var f in failures)
                {
                    w.WriteStartObject();
                    w.WriteString("id", f.Id);
                    if (f.Version is not null)
                    {
                        w.WriteString("version", f.Version);
                    }

                    w.WriteString("message", f.Message);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteNumber("pending_count", done ? 0 : unreached);
            if (error is not null)
            {
                w.WriteString("x_threatledger_error", error);
            }

            w.WriteEndObject();
        }

        private void Refuse(string id, string reason)
        {
            lock (_lock)
            {
                _refused.Add((id, reason));
            }
        }

        private static void Successes(Utf8JsonWriter w, List<PutItemResult>? items)
        {
            if (items is null || items.Count == 0)
            {
                return;
            }

            w.WriteStartArray("successes");
            foreach (var r in items)
            {
                w.WriteStartObject();
                w.WriteString("id", r.Id ?? "objects[" + r.Index.ToString(CultureInfo.InvariantCulture) + "]");
                if (r.Version is not null)
                {
                    w.WriteString("version", r.Version);
                }

                if (r.Message is not null)
                {
                    w.WriteString("message", r.Message);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }
}

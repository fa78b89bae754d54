using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ThreatLedger.Stix;
using ThreatLedger.Storage;

namespace ThreatLedger.Server;

/// <summary>What a pull brought in.</summary>
/// <param name="Pages">Pages fetched.</param>
/// <param name="Summary">The import of every page into the local store.</param>
/// <param name="LastDateAdded">The server's X-TAXII-Date-Added-Last of the last object received (where the next pull starts), if any.</param>
public sealed record PullResult(int Pages, ImportSummary Summary, string? LastDateAdded);

/// <summary>What a push did: the server's status resources, one per request.</summary>
/// <param name="Requests">POST requests made.</param>
/// <param name="Total">Objects sent.</param>
/// <param name="Succeeded">Objects the server accepted.</param>
/// <param name="Failed">Objects the server refused.</param>
/// <param name="Failures">The server's failure entries (id and message).</param>
public sealed record PushResult(int Requests, long Total, long Succeeded, long Failed, IReadOnlyList<string> Failures);

/// <summary>
/// A TAXII 2.1 client (OASIS TAXII 2.1, sections 4–5): pulls a collection page by page into a store,
/// following <c>next</c> and starting after the last <c>date_added</c> it saw; pushes bundles in
/// envelopes below the API root's <c>max_content_length</c> and waits for each status to complete.
/// </summary>
public sealed class TaxiiClient(HttpClient http)
{
    /// <summary>The TAXII 2.1 media type.</summary>
    public const string MediaType = "application/taxii+json;version=2.1";

    /// <summary>An HTTP client for a TAXII server: Bearer token, or Basic with user and token/password.</summary>
    public static HttpClient Create(string? token, string? user = null, TimeSpan? timeout = null)
    {
        var c = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = timeout ?? TimeSpan.FromMinutes(5) };
        c.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(MediaType));
        if (token is not null)
        {
            c.DefaultRequestHeaders.Authorization = user is null
                ? new AuthenticationHeaderValue("Bearer", token)
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + token)));
        }

        return c;
    }

    /// <summary>The objects URL of a collection under an API root.</summary>
    public static Uri ObjectsUrl(Uri apiRoot, string collection) => new(WithSlash(apiRoot), $"collections/{Uri.EscapeDataString(collection)}/objects/");

    /// <summary>
    /// Pulls every object added after <paramref name="addedAfter"/> into <paramref name="store"/>,
    /// page by page (<paramref name="limit"/> per page), following <c>next</c>.
    /// </summary>
    /// <exception cref="IOException">The server answered with an error; the message carries its TAXII error.</exception>
    public async Task<PullResult> PullAsync(Uri apiRoot, string collection, IStixStore store, string? addedAfter = null, int limit = 1000, Action<int, long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var summary = new ImportSummary();
        string? next = null, last = addedAfter;
        int pages = 0;
        do
        {
            var query = new StringBuilder("?limit=" + limit.ToString(CultureInfo.InvariantCulture));
            if (next is not null)
            {
                query.Append("&next=").Append(Uri.EscapeDataString(next));
            }

            if (addedAfter is not null)
            {
                query.Append("&added_after=").Append(Uri.EscapeDataString(addedAfter));
            }

            using var response = await http.GetAsync(new Uri(ObjectsUrl(apiRoot, collection), query.ToString()), ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            Check(response, body, "GET");
            pages++;
            using var doc = JsonDocument.Parse(body);

            // An empty page has no "objects" (TAXII 2.1 section 3.7): nothing to import.
            if (doc.RootElement.TryGetProperty("objects", out _))
            {
                using var input = new MemoryStream(body, writable: false);
                summary.Merge(await StixImporter.ImportAsync(store, input, $"taxii page {pages}", cancellationToken: ct).ConfigureAwait(false));
            }

            if (response.Headers.TryGetValues("X-TAXII-Date-Added-Last", out var values))
            {
                last = values.First();
            }

            next = doc.RootElement.TryGetProperty("more", out var more) && more.GetBoolean() && doc.RootElement.TryGetProperty("next", out var n) ? n.GetString() : null;
            progress?.Invoke(pages, summary.Total);
        }
        while (next is not null);

        return new PullResult(pages, summary, last);
    }

    /// <summary>
    /// Pushes objects (the JSON of each) in envelopes no larger than the API root's
    /// <c>max_content_length</c>, polling each request's status until it completes.
    /// </summary>
    /// <exception cref="IOException">The server refused a request; the message carries its TAXII error.</exception>
    public async Task<PushResult> PushAsync(Uri apiRoot, string collection, IEnumerable<ReadOnlyMemory<byte>> objects, TimeSpan? statusTimeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(objects);
        long max;
        using (var root = await http.GetAsync(WithSlash(apiRoot), ct).ConfigureAwait(false))
        {
            var body = await root.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            Check(root, body, "GET");
            using var doc = JsonDocument.Parse(body);
            max = doc.RootElement.TryGetProperty("max_content_length", out var m) ? m.GetInt64() : 10L << 20;
        }

        int requests = 0;
        long total = 0, ok = 0, failed = 0;
        var failures = new List<string>();
        var envelope = new MemoryStream();
        int inEnvelope = 0;

        async Task FlushAsync()
        {
            if (inEnvelope == 0)
            {
                return;
            }

            envelope.Write("]}"u8);
            var content = new ByteArrayContent(envelope.GetBuffer(), 0, (int)envelope.Length);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            using var response = await http.PostAsync(ObjectsUrl(apiRoot, collection), content, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            Check(response, body, "POST");
            requests++;
            total += inEnvelope;
            using var status = await WaitAsync(apiRoot, body, statusTimeout ?? TimeSpan.FromMinutes(10), ct).ConfigureAwait(false);
            ok += status.RootElement.GetProperty("success_count").GetInt64();
            failed += status.RootElement.GetProperty("failure_count").GetInt64();
            if (status.RootElement.TryGetProperty("failures", out var list))
            {
                failures.AddRange(list.EnumerateArray().Select(f => $"{f.GetProperty("id").GetString()}: {(f.TryGetProperty("message", out var msg) ? msg.GetString() : "failed")}"));
            }

            envelope.SetLength(0);
            inEnvelope = 0;
        }

        foreach (var o in objects)
        {
            // "{"objects":[" + objects joined by "," + "]}"
            if (inEnvelope > 0 && envelope.Length + o.Length + 3 > max)
            {
                await FlushAsync().ConfigureAwait(false);
            }

            if (14 + o.Length + 2 > max)
            {
                throw new IOException($"an object of {o.Length} bytes is larger than the server's max_content_length ({max}); it cannot be pushed");
            }

            envelope.Write(inEnvelope == 0 ? "{\"objects\":["u8 : ","u8);
            envelope.Write(o.Span);
            inEnvelope++;
        }

        await FlushAsync().ConfigureAwait(false);
        return new PushResult(requests, total, ok, failed, failures);
    }

    /// <summary>The objects of a bundle file (any size: read one object at a time), as their JSON.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> ReadObjects(Stream bundle)
    {
        foreach (var item in StixStreamReader.ReadObjects(bundle))
        {
            if (item.Object is { } o)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                using (var w = new Utf8JsonWriter(buffer, StixJson.WriterOptions(indented: false)))
                {
                    StixJson.Write(w, o);
                }

                yield return buffer.WrittenMemory;
            }
        }
    }

    private async Task<JsonDocument> WaitAsync(Uri apiRoot, byte[] accepted, TimeSpan timeout, CancellationToken ct)
    {
        var status = JsonDocument.Parse(accepted);
        var deadline = DateTime.UtcNow + timeout;
        int delay = 20;
        while (status.RootElement.GetProperty("status").GetString() != "complete")
        {
            if (DateTime.UtcNow > deadline)
            {
                string id = status.RootElement.GetProperty("id").GetString()!;
                status.Dispose();
                throw new IOException($"status {id} did not complete within {timeout.TotalSeconds:0} s; ask the server again later (GET {WithSlash(apiRoot)}status/{id}/)");
            }

            await Task.Delay(delay, ct).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 1000);
            string statusId = status.RootElement.GetProperty("id").GetString()!;
            status.Dispose();
            using var response = await http.GetAsync(new Uri(WithSlash(apiRoot), $"status/{Uri.EscapeDataString(statusId)}/"), ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            Check(response, body, "GET status");
            status = JsonDocument.Parse(body);
        }

        return status;
    }

    private static void Check(HttpResponseMessage response, byte[] body, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string detail = string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(body);
            detail = $": {doc.RootElement.GetProperty("title").GetString()}" + (doc.RootElement.TryGetProperty("description", out var d) ? $" ({d.GetString()})" : string.Empty);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // Not a TAXII error resource; the status code says enough.
        }

        throw new IOException($"{what} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}{detail}");
    }

    private static Uri WithSlash(Uri u) => u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
}

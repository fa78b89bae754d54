using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ThreatLedger.Ledger;
using ThreatLedger.Stix;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Postgres;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Cli;

/// <summary>Opens the store named by --db, THREATLEDGER_DB or ./threatledger.db.</summary>
internal static class StoreOpener
{
    public const string DefaultFile = "threatledger.db";

    public static string Resolve(Options o) =>
        o.Get("--db") ?? (Environment.GetEnvironmentVariable("THREATLEDGER_DB") is { Length: > 0 } env ? env : DefaultFile);

    /// <summary>A PostgreSQL connection string (key=value with Host, or a postgres:// URL) or a file path.</summary>
    public static bool IsPostgres(string db) =>
        db.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || db.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || db.Contains("Host=", StringComparison.OrdinalIgnoreCase) || db.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the store; commands that only read pass <paramref name="create"/> = false, so a mistyped path is an error, not a new empty store.</summary>
    /// <param name="o">The command's options (--db, --empty).</param>
    /// <param name="create">False for commands that only read.</param>
    /// <param name="status">Where to say that the starter pack was loaded (standard error), if anywhere.</param>
    /// <param name="ensurePack">False for <c>pack load</c>, which loads the pack itself.</param>
    public static IStixStore Open(Options o, bool create = true, TextWriter? status = null, bool ensurePack = true)
    {
        string db = Resolve(o);
        if (!IsPostgres(db) && db.Contains('=', StringComparison.Ordinal) && db.Contains(';', StringComparison.Ordinal))
        {
            throw new UsageException($"--db '{Redact(db)}' looks like a connection string but has no Host=; a PostgreSQL string needs Host=…;Database=…;Username=… (or use postgres://user@host/database)");
        }

        if (!create && !IsPostgres(db) && !System.IO.File.Exists(db))
        {
            throw new StoreOpenException($"no store at '{db}'; create it with 'threatledger import --db {db} FILE', or point --db (or THREATLEDGER_DB) at an existing store", new FileNotFoundException(db));
        }

        IStixStore store;
        try
        {
            store = IsPostgres(db) ? PostgresStixStore.Open(db) : SqliteStixStore.Open(db);
        }
        catch (Exception ex) when (ex is not UsageException and not OutOfMemoryException)
        {
            throw new StoreOpenException($"cannot open the store '{Redact(db)}': {ex.Message}", ex);
        }

        if (create && ensurePack)
        {
            try
            {
                // A new store gets the starter pack (unless --empty); an older pack is upgraded.
                var pack = StarterPack.EnsureAsync(store, o.Has("--empty")).GetAwaiter().GetResult();
                if (pack.Summary is { } s && status is not null)
                {
                    status.WriteLine(FormattableString.Invariant($"starter pack {StarterPack.Version} {pack.Action}: {s.Added} objects added, {s.NewVersions} new versions (--empty skips the pack for a new store)"));
                }
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }

        return store;
    }

    /// <summary>Hides a password in a connection string.</summary>
    public static string Redact(string db) =>
        System.Text.RegularExpressions.Regex.Replace(db, "(?i)(password=)[^;]*|(://[^:/@]+:)[^@]*@", m => m.Groups[1].Success ? m.Groups[1].Value + "***" : m.Groups[2].Value + "***@");
}

/// <summary>The store could not be opened (exit code 2).</summary>
internal sealed class StoreOpenException(string message, Exception inner) : Exception(message, inner);

/// <summary>Parses --as-of and --version values: a STIX timestamp, or a date meaning its start (UTC).</summary>
internal static class TimeArg
{
    public static StixTimestamp? Parse(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        if (StixTimestamp.TryParse(text, out var t))
        {
            return t;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
        {
            return new StixTimestamp(DateTime.SpecifyKind(d, DateTimeKind.Utc), 3);
        }

        throw new UsageException($"{option} needs a timestamp such as 2021-07-19T12:00:00.000Z or a date such as 2021-07-19, not '{text}'");
    }
}

/// <summary><c>threatledger import FILE...</c>.</summary>
internal static class ImportCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json", "--no-progress", "--empty"], ["--db", "--batch-size"]);
        if (o.Positional.Count == 0)
        {
            throw new UsageException("import needs at least one FILE (.json, .json.gz, or - for standard input)");
        }

        var options = new ImportOptions { BatchSize = o.Int("--batch-size", 2000) };
        using var store = StoreOpener.Open(o, status: stderr);
        var total = new ImportSummary();
        bool ioError = false;
        var started = Stopwatch.StartNew();
        var request = DateTime.UtcNow;
        foreach (var file in o.Positional)
        {
            string name = file == "-" ? "<stdin>" : file;
            var sw = Stopwatch.StartNew();
            ImportSummary summary;
            try
            {
                using var raw = Download.IsUrl(file) ? Download.Open(file, out var counter) : StixImporter.OpenInput(file, out counter);
                using var progress = Progress.Start(stderr, name, counter, o.Has("--no-progress"));
                using var input = DetectFormat(raw, name, stdout, o.Has("--json"));
                summary = StixImporter.ImportAsync(store, input, name, options, progress.Objects).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                stderr.WriteLine(System.IO.Directory.Exists(file)
                    ? $"threatledger: {name} is a directory; give a .json or .json.gz file (or - for standard input)"
                    : $"threatledger: cannot read {name}: {ex.Message}");
                ioError = true;
                continue;
            }

            total.Merge(summary);
            if (!o.Has("--json"))
            {
                WriteText(stdout, name, summary, sw.Elapsed);
            }
        }

        // Groups of other sources (MISP clusters) that cite an ATT&CK group are linked to it as proposed equivalences.
        int proposed = total.Added + total.NewVersions > 0 ? Equivalences.ProposeAttackLinksAsync(store).GetAwaiter().GetResult() : 0;
        if (o.Has("--json"))
        {
            WriteStatus(stdout, total, request);
        }
        else if (o.Positional.Count > 1)
        {
            WriteText(stdout, "all files", total, started.Elapsed);
        }

        if (proposed > 0 && !o.Has("--json"))
        {
            stdout.WriteLine(FormattableString.Invariant($"{proposed} proposed equivalences with ATT&CK groups (cited by id; nothing merged: see 'threatledger resolve', 'merge', 'unmerge')"));
        }

        return ioError ? CommandLine.Usage : total.Failed > 0 ? CommandLine.Failed : CommandLine.Ok;
    }

    /// <summary>
    /// STIX goes through as a stream; a MISP galaxy cluster file (recognised by its first bytes) is
    /// converted to STIX first (galaxy files are small: read whole, up to 512 MB).
    /// </summary>
    private static Stream DetectFormat(Stream input, string name, TextWriter stdout, bool json)
    {
        var head = new byte[64 * 1024];
        int n = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var prefixed = new PrefixedStream(head.AsMemory(0, n), input);
        if (!ThreatLedger.Ledger.MispGalaxy.LooksLikeGalaxy(head.AsSpan(0, n)))
        {
            return prefixed;
        }

        using var all = new MemoryStream();
        prefixed.CopyTo(all);
        if (all.Length > 512L << 20)
        {
            throw new InvalidDataException($"{name} looks like a MISP galaxy file larger than 512 MB; split it");
        }

        try
        {
            var bundle = ThreatLedger.Ledger.MispGalaxy.ToStixBundle(all.GetBuffer().AsSpan(0, (int)all.Length));
            if (!json)
            {
                stdout.WriteLine($"{name}: MISP galaxy cluster file, converted to STIX");
            }

            return new MemoryStream(bundle, writable: false);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{name}: {ex.Message}", ex);
        }
    }

    private static void WriteText(TextWriter stdout, string name, ImportSummary s, TimeSpan elapsed)
    {
        double rate = s.Total / Math.Max(elapsed.TotalSeconds, 1e-9);
        stdout.WriteLine(FormattableString.Invariant(
            $"{name}: {s.Total} objects: {s.Added} added, {s.NewVersions} new versions, {s.OlderVersions} older versions, {s.Unchanged} unchanged, {s.Failed} failed ({elapsed.TotalSeconds:0.00} s, {rate:0} objects/s)"));
        foreach (var f in s.Failures.Take(50))
        {
            stdout.WriteLine($"  failed: {Label(f)}: {f.Message}");
        }

        if (s.Failed > 50)
        {
            stdout.WriteLine(FormattableString.Invariant($"  ... and {s.Failed - 50} more failures (use --json for all)"));
        }
    }

    /// <summary>The object id, else its place in the input, else "document" for findings about the whole input.</summary>
    private static string Label(PutItemResult r) =>
        r.Id ?? (r.Index >= 0 ? "objects[" + r.Index.ToString(CultureInfo.InvariantCulture) + "]" : "document");

    /// <summary>A TAXII 2.1 status resource (§4.3.1) with ThreatLedger's counts beside it.</summary>
    private static void WriteStatus(TextWriter stdout, ImportSummary s, DateTime request)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("id", Guid.NewGuid().ToString());
            w.WriteString("status", "complete");
            w.WriteString("request_timestamp", new StixTimestamp(request, 6).ToString());
            w.WriteNumber("total_count", s.Total);
            w.WriteNumber("success_count", s.Succeeded);
            Details(w, "successes", s.Successes);
            w.WriteNumber("failure_count", s.Failed);
            Details(w, "failures", s.Failures);
            w.WriteNumber("pending_count", 0);
            w.WriteStartArray("pendings");
            w.WriteEndArray();
            w.WriteStartObject("x_threatledger_import");
            w.WriteNumber("added", s.Added);
            w.WriteNumber("new_versions", s.NewVersions);
            w.WriteNumber("older_versions", s.OlderVersions);
            w.WriteNumber("unchanged", s.Unchanged);
            w.WriteNumber("failed", s.Failed);
            w.WriteBoolean("details_truncated", s.DetailsTruncated);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        stdout.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }

    private static void Details(Utf8JsonWriter w, string name, List<PutItemResult> items)
    {
        w.WriteStartArray(name);
        foreach (var r in items)
        {
            w.WriteStartObject();
            w.WriteString("id", Label(r));

            if (r.Version is not null)
            {
                w.WriteString("version", r.Version);
            }

            w.WriteString("message", r.Message ?? r.Outcome switch
            {
                PutOutcome.Added => "added",
                PutOutcome.NewVersion => "new version",
                PutOutcome.OlderVersion => "older version stored",
                _ => "unchanged",
            });
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}

/// <summary>Imports from http(s) URLs: streamed, with a timeout, a size limit and a redirect limit.</summary>
internal static class Download
{
    public const long MaxBytes = 4L << 30;
    private static readonly HttpClient s_client = new(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 5, ConnectTimeout = TimeSpan.FromSeconds(30) })
    {
        Timeout = TimeSpan.FromMinutes(10),
    };

    public static bool IsUrl(string s) =>
        s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static Stream Open(string url, out CountingStream counter)
    {
        HttpResponseMessage response;
        try
        {
            response = s_client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new IOException($"GET {url} failed: {ex.Message}", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw new IOException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}; check the URL");
            }
        }

        long? length = response.Content.Headers.ContentLength;
        if (length > MaxBytes)
        {
            response.Dispose();
            throw new IOException($"GET {url}: {length} bytes is more than the limit of {MaxBytes}");
        }

        return StixImporter.OpenInput(response.Content.ReadAsStream(), out counter, length, MaxBytes);
    }
}

/// <summary>A progress bar on standard error, only when it is a terminal.</summary>
internal sealed class Progress : IDisposable
{
    private readonly TextWriter _stderr;
    private readonly string _name;
    private readonly CountingStream _counter;
    private readonly Timer? _timer;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _objects;

    private Progress(TextWriter stderr, string name, CountingStream counter, bool show)
    {
        _stderr = stderr;
        _name = name;
        _counter = counter;
        if (show)
        {
            _timer = new Timer(_ => Draw(false), null, 250, 250);
        }
    }

    public static Progress Start(TextWriter stderr, string name, CountingStream counter, bool disabled) =>
        new(stderr, name, counter, !disabled && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error));

    public void Objects(long count) => Interlocked.Exchange(ref _objects, count);

    private void Draw(bool final)
    {
        long done = _counter.BytesRead;
        long? total = _counter.InnerLength;
        double fraction = total is > 0 ? Math.Min(1, (double)done / total.Value) : 0;
        int width = 30, filled = (int)(fraction * width);
        long n = Interlocked.Read(ref _objects);
        double rate = n / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        string bar = total is > 0 ? "[" + new string('#', filled) + new string(' ', width - filled) + FormattableString.Invariant($"] {fraction * 100,3:0}% ") : string.Empty;
        _stderr.Write(FormattableString.Invariant($"\r{_name}: {bar}{n:N0} objects, {rate:N0}/s   ") + (final ? "\n" : string.Empty));
    }

    public void Dispose()
    {
        if (_timer is not null)
        {
            _timer.Dispose();
            Draw(true);
        }
    }
}

/// <summary><c>threatledger get ID</c>.</summary>
internal static class GetCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--version", "--as-of"]);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("get needs exactly one object ID");
        }

        string id = o.Positional[0];
        string? v = o.Get("--version");
        var asOf = TimeArg.Parse(o.Get("--as-of"), "--as-of");
        using var store = StoreOpener.Open(o, create: false);
        List<StoredObject> found;
        if (v == "all")
        {
            found = [.. store.GetVersionsAsync(id, asOf).GetAwaiter().GetResult()];
        }
        else
        {
            var one = store.GetAsync(id, TimeArg.Parse(v, "--version"), asOf).GetAwaiter().GetResult();
            found = one is null ? [] : [one];
        }

        if (found.Count == 0)
        {
            stderr.WriteLine($"threatledger: no object {id}{(v is null or "all" ? string.Empty : " at version " + v)}{(asOf is null ? string.Empty : " as of " + asOf)} in the store");
            return CommandLine.Failed;
        }

        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteStartArray("versions");
                foreach (var f in found)
                {
                    w.WriteStartObject();
                    w.WriteString("version", f.Version.ToString());
                    w.WriteString("date_added", f.DateAdded.ToString());
                    w.WriteBoolean("latest", f.IsLatest);
                    w.WritePropertyName("object");
                    w.WriteRawValue(f.Json.Span, skipInputValidation: true);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
            return CommandLine.Ok;
        }

        foreach (var f in found)
        {
            if (found.Count > 1 || v == "all")
            {
                stdout.WriteLine($"# version {f.Version} (added {f.DateAdded}){(f.IsLatest ? ", latest" : string.Empty)}");
            }

            stdout.WriteLine(Output.Pretty(f.Json));
        }

        return CommandLine.Ok;
    }
}

/// <summary><c>threatledger find</c>.</summary>
internal static class FindCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--type", "--text", "--limit"]);
        string? text = o.Get("--text") ?? (o.Positional.Count > 0 ? string.Join(' ', o.Positional) : null);
        var types = o.All("--type");
        int limit = o.Int("--limit", 20);
        using var store = StoreOpener.Open(o, create: false);
        var rows = new List<(string Id, string Type, string? Name, double? Score)>();
        if (!string.IsNullOrWhiteSpace(text))
        {
            foreach (var h in store.SearchAsync(new SearchQuery { Text = text, Types = types, Limit = limit }).GetAwaiter().GetResult())
            {
                rows.Add((h.Id, h.Type, h.Name, h.Score));
            }
        }
        else
        {
            var page = store.QueryAsync(new ObjectQuery { Types = types.Count > 0 ? types : null, Limit = limit }).GetAwaiter().GetResult();
            foreach (var s in page.Items)
            {
                using var doc = JsonDocument.Parse(s.Json);
                string? name = doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()
                    : doc.RootElement.TryGetProperty("value", out var val) && val.ValueKind == JsonValueKind.String ? val.GetString() : null;
                rows.Add((s.Id, s.Type, name, null));
            }
        }

        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("results");
                foreach (var r in rows)
                {
                    w.WriteStartObject();
                    w.WriteString("id", r.Id);
                    w.WriteString("type", r.Type);
                    w.WriteString("name", r.Name);
                    if (r.Score is { } sc)
                    {
                        w.WriteNumber("score", sc);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else
        {
            foreach (var r in rows)
            {
                stdout.WriteLine($"{r.Id}\t{r.Type}\t{r.Name}");
            }

            if (rows.Count == 0)
            {
                stderr.WriteLine("threatledger: nothing found");
            }
        }

        return rows.Count > 0 ? CommandLine.Ok : CommandLine.Failed;
    }
}

/// <summary><c>threatledger neighbors ID</c>.</summary>
internal static class NeighborsCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db", "--depth", "--type", "--kind", "--direction", "--limit"]);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("neighbors needs exactly one object ID");
        }

        var direction = o.Get("--direction") switch
        {
            null or "both" => EdgeDirection.Both,
            "out" => EdgeDirection.Outgoing,
            "in" => EdgeDirection.Incoming,
            var d => throw new UsageException($"--direction must be in, out or both, not '{d}'"),
        };
        var query = new NeighborQuery
        {
            Depth = o.Int("--depth", 1),
            Direction = direction,
            Types = o.All("--type") is { Count: > 0 } t ? t : null,
            Kinds = o.All("--kind") is { Count: > 0 } k ? k : null,
            Limit = o.Int("--limit", 1000),
        };
        string id = o.Positional[0];
        using var store = StoreOpener.Open(o, create: false);
        if (store.GetAsync(id).GetAwaiter().GetResult() is null)
        {
            stderr.WriteLine($"threatledger: no object {id} in the store");
            return CommandLine.Failed;
        }

        var found = store.NeighborsAsync(id, query).GetAwaiter().GetResult();
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteStartArray("neighbors");
                foreach (var n in found)
                {
                    w.WriteStartObject();
                    w.WriteString("id", n.Id);
                    w.WriteString("type", n.Type);
                    w.WriteNumber("depth", n.Depth);
                    w.WriteString("from", n.From);
                    w.WriteString("direction", n.Direction == EdgeDirection.Outgoing ? "out" : "in");
                    w.WriteString("kind", n.Kind);
                    w.WriteString("via", n.Via);
                    w.WriteBoolean("in_store", n.InStore);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        else
        {
            foreach (var n in found)
            {
                string arrow = n.Direction == EdgeDirection.Outgoing ? "->" : "<-";
                stdout.WriteLine(FormattableString.Invariant($"{n.Depth}\t{arrow} {n.Kind}\t{n.Id}{(n.Via is null ? string.Empty : "\tvia " + n.Via)}{(n.InStore ? string.Empty : "\t(not in store)")}"));
            }
        }

        return CommandLine.Ok;
    }
}

/// <summary><c>threatledger stats</c>.</summary>
internal static class StatsCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--json"], ["--db"]);
        using var store = StoreOpener.Open(o, create: false);
        var s = store.StatsAsync(null).GetAwaiter().GetResult();

        // The starter pack's objects are counted in "objects"; "starter_pack" says how many of them came from it.
        int pack = StarterPack.InstalledVersionAsync(store).GetAwaiter().GetResult();
        int packObjects = pack > 0 ? StarterPack.ObjectIds(pack).Count : 0;
        if (o.Has("--json"))
        {
            Output.Json(stdout, w =>
            {
                w.WriteStartObject();
                w.WriteString("backend", store.Backend);
                w.WriteNumber("objects", s.Objects);
                w.WriteNumber("versions", s.Versions);
                w.WriteNumber("edges", s.Edges);
                if (pack > 0)
                {
                    w.WriteStartObject("starter_pack");
                    w.WriteNumber("version", pack);
                    w.WriteNumber("objects", packObjects);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("starter_pack");
                }

                if (s.SizeBytes is { } size)
                {
                    w.WriteNumber("size_bytes", size);
                }

                w.WriteStartObject("types");
                foreach (var (type, count) in s.ByType)
                {
                    w.WriteNumber(type, count);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            });
            return CommandLine.Ok;
        }

        stdout.WriteLine(FormattableString.Invariant($"backend:  {store.Backend}"));
        stdout.WriteLine(FormattableString.Invariant($"objects:  {s.Objects}{(pack > 0 ? $" ({packObjects} from the starter pack, version {pack})" : string.Empty)}"));
        stdout.WriteLine(FormattableString.Invariant($"versions: {s.Versions}"));
        stdout.WriteLine(FormattableString.Invariant($"edges:    {s.Edges}"));
        if (s.SizeBytes is { } b)
        {
            stdout.WriteLine(FormattableString.Invariant($"size:     {b / 1048576.0:0.0} MiB"));
        }

        foreach (var (type, count) in s.ByType)
        {
            stdout.WriteLine(FormattableString.Invariant($"  {type,-28} {count}"));
        }

        return CommandLine.Ok;
    }
}

/// <summary>JSON output helpers.</summary>
internal static class Output
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes a number, or null when there is none.</summary>
    public static void NumberOrNull(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    public static void Json(TextWriter stdout, Action<Utf8JsonWriter> write)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, s_options))
        {
            write(w);
        }

        stdout.WriteLine(Encoding.UTF8.GetString(ms.ToArray()));
    }

    public static string Pretty(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, s_options))
        {
            doc.RootElement.WriteTo(w);
        }

        return Encoding.UTF8.GetString(ms.ToArray());
    }
}

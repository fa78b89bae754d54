using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ThreatLedger.Server;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Cli;

/// <summary>
/// <c>threatledger bench serve [--source FILE] [--seconds N] [--connections N]</c>: a TAXII server on
/// loopback over a store holding FILE (ATT&amp;CK enterprise by default), driven by N concurrent keep-alive
/// clients asking for pages of 100 objects (walking the collection with <c>next</c>). Prints requests/s,
/// latency percentiles and the process RSS; the baseline, measured in the same process, is the same
/// pages read from the store directly (as objects, and as the JSON page the server itself reads), so the
/// ratios say what HTTP, authentication and the envelope cost.
/// Then times the TAXII client paging through the ICS bundle (1,826 objects, pages of 100) if given.
/// </summary>
internal static class ServeBench
{
    private static readonly CultureInfo s_ci = CultureInfo.InvariantCulture;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, [], ["--source", "--seconds", "--connections", "--ics"]);
        string source = o.Get("--source") ?? "../shared/data/attack/enterprise-attack.json.gz";
        int seconds = o.Int("--seconds", 10), connections = o.Int("--connections", 8);
        string dir = Path.Combine(Path.GetTempPath(), "tl-bench-serve-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            using var store = SqliteStixStore.Open(Path.Combine(dir, "bench.db"));
            using (var input = StixImporter.OpenInput(source, out _))
            {
                var s = StixImporter.ImportAsync(store, input, source).GetAwaiter().GetResult();
                stdout.WriteLine(string.Create(s_ci, $"store: {s.Added} objects from {source}"));
            }

            string token = new UserDirectory(store).AddAsync("bench", Role.Reader, TlpLevel.Red).GetAwaiter().GetResult();
            var app = ServerHost.Build(store, new ServerOptions { Urls = "http://127.0.0.1:0", RateLimitPerSecond = 1_000_000 });
            app.StartAsync().GetAwaiter().GetResult();
            try
            {
                string objects = app.Urls.First().TrimEnd('/') + "/api/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/objects/";
                var cursors = Cursors(store);

                // Baseline: the same pages straight from the store, one caller, same process.
                var direct = Measure(1, TimeSpan.FromSeconds(Math.Max(2, seconds / 3)), i =>
                    store.QueryAsync(new ObjectQuery { Limit = 100, Next = cursors[i % cursors.Count], Access = new AccessFilter(TlpLevel.Red) }));

                // The store work the server does for a page: its JSON written into one buffer (reused; one caller).
                var buffer = new System.Buffers.ArrayBufferWriter<byte>(256 * 1024);
                var directJson = Measure(1, TimeSpan.FromSeconds(Math.Max(2, seconds / 3)), i =>
                {
                    buffer.ResetWrittenCount();
                    return store.QueryJsonAsync(new ObjectQuery { Limit = 100, Next = cursors[i % cursors.Count], Access = new AccessFilter(TlpLevel.Red) }, buffer);
                });

                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(10) });
                http.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(TaxiiClient.MediaType));
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

                // The server's cursors are its own (encrypted, per user): walk the collection over HTTP once to collect them.
                var served0 = HttpCursors(http, objects);

                // Warm up, then measure.
                Measure(connections, TimeSpan.FromSeconds(2), i => Page(http, objects, served0[i % served0.Count]));
                var served = Measure(connections, TimeSpan.FromSeconds(seconds), i => Page(http, objects, served0[i % served0.Count]));
                long rss = Process.GetCurrentProcess().WorkingSet64;

                Report(stdout, "store page of 100 (direct, 1 caller)", direct);
                Report(stdout, "store page of 100 as JSON (direct, 1 caller; what the server reads)", directJson);
                Report(stdout, $"TAXII page of 100 over HTTP ({connections} connections)", served);
                stdout.WriteLine(string.Create(s_ci, $"process RSS after the run: {rss / 1048576.0:F0} MB (server and load generator in one process)"));
                stdout.WriteLine(string.Create(s_ci, $"ratio: {served.PerSecond / direct.PerSecond:F2} (HTTP pages/s over direct pages/s)"));
                stdout.WriteLine(string.Create(s_ci, $"ratio: {served.PerSecond / directJson.PerSecond:F2} (HTTP pages/s over direct JSON pages/s)"));

                if (o.Get("--ics") is { } ics)
                {
                    ClientPaging(stdout, ics, dir);
                }
            }
            finally
            {
                app.StopAsync().GetAwaiter().GetResult();
                app.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }

        return CommandLine.Ok;
    }

    private sealed record Result(long Requests, double PerSecond, double[] SortedMs);

    // Cursors to the start of every page of 100, so the load walks the whole collection.
    private static List<string?> Cursors(IStixStore store)
    {
        var list = new List<string?> { null };
        string? next = null;
        do
        {
            next = store.QueryAsync(new ObjectQuery { Limit = 100, Next = next }).GetAwaiter().GetResult().Next;
            if (next is not null)
            {
                list.Add(next);
            }
        }
        while (next is not null);
        return list;
    }

    private static List<string?> HttpCursors(HttpClient http, string objects)
    {
        var list = new List<string?> { null };
        string? next = null;
        do
        {
            using var r = http.GetAsync(objects + "?limit=100" + (next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next))).GetAwaiter().GetResult();
            r.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(r.Content.ReadAsStream());
            next = doc.RootElement.GetProperty("more").GetBoolean() ? doc.RootElement.GetProperty("next").GetString() : null;
            if (next is not null)
            {
                list.Add(next);
            }
        }
        while (next is not null);
        return list;
    }

    private static async Task Page(HttpClient http, string objects, string? next)
    {
        using var r = await http.GetAsync(objects + "?limit=100" + (next is null ? string.Empty : "&next=" + Uri.EscapeDataString(next))).ConfigureAwait(false);
        r.EnsureSuccessStatusCode();
        await r.Content.CopyToAsync(Stream.Null).ConfigureAwait(false);
    }

    private static Result Measure(int workers, TimeSpan duration, Func<int, Task> request)
    {
        var latencies = new List<double>[workers];
        long counter = 0;
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (clock.Elapsed < duration)
            {
                int i = (int)Interlocked.Increment(ref counter);
                long start = Stopwatch.GetTimestamp();
                await request(i).ConfigureAwait(false);
                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        Task.WaitAll(tasks);
        double elapsed = clock.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(all.Length, all.Length / elapsed, all);
    }

    private static void Report(TextWriter stdout, string name, Result r) =>
        stdout.WriteLine(string.Create(s_ci, $"{name}: {r.PerSecond:F0} pages/s, p50 {P(r.SortedMs, 0.50):F2} ms, p99 {P(r.SortedMs, 0.99):F2} ms ({r.Requests} requests)"));

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    // The ThreatLedger TAXII client paging through a collection holding only the ICS bundle (pages of 100), five runs.
    private static void ClientPaging(TextWriter stdout, string ics, string dir)
    {
        using var icsStore = SqliteStixStore.Open(Path.Combine(dir, "ics.db"));
        using (var input = StixImporter.OpenInput(ics, out _))
        {
            StixImporter.ImportAsync(icsStore, input, ics).GetAwaiter().GetResult();
        }

        string icsToken = new UserDirectory(icsStore).AddAsync("bench", Role.Reader, TlpLevel.Red).GetAwaiter().GetResult();
        var app = ServerHost.Build(icsStore, new ServerOptions { Urls = "http://127.0.0.1:0", RateLimitPerSecond = 1_000_000 });
        app.StartAsync().GetAwaiter().GetResult();
        try
        {
            var times = new double[5];
            using var http = TaxiiClient.Create(icsToken);
            var client = new TaxiiClient(http);
            for (int run = 0; run < times.Length; run++)
            {
                using var target = SqliteStixStore.Open(Path.Combine(dir, $"pull-{run}.db"));
                var sw = Stopwatch.StartNew();
                var r = client.PullAsync(new Uri(app.Urls.First().TrimEnd('/') + "/api/"), "365fed99-08fa-fdcd-a1b3-fb247eb41d01", target, limit: 100).GetAwaiter().GetResult();
                times[run] = sw.Elapsed.TotalSeconds;
                if (run == 0)
                {
                    stdout.WriteLine(string.Create(s_ci, $"TAXII client pull of {ics}: {r.Summary.Total} objects in {r.Pages} pages"));
                }
            }

            double median = BenchCommand.Median(times);
            stdout.WriteLine(string.Create(s_ci, $"TAXII client pull, pages of 100 into a new store: median {median:F3} s of 5 runs; {6.8 / median:F0}x faster than the 6.8 s the issue quotes for the OASIS client against medallion (not run here)"));
        }
        finally
        {
            app.StopAsync().GetAwaiter().GetResult();
            app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}

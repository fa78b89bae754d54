using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Npgsql;
using ThreatLedger.Stix;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Postgres;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Cli;

/// <summary>
/// <c>bench generate</c>, <c>bench store</c>: import throughput on both backends against parse-only
/// speed measured in the same run, and query latencies on a large store.
/// </summary>
internal static class StoreBench
{
    private static readonly CultureInfo s_ci = CultureInfo.InvariantCulture;

    public static int Generate(string[] args, TextWriter stdout)
    {
        var o = Options.Parse(args, [], ["--objects", "--seed"]);
        if (o.Positional.Count != 1)
        {
            throw new UsageException("bench generate needs one OUT file (.json or .json.gz)");
        }

        string path = o.Positional[0];
        int count = o.Int("--objects", 1_000_000);
        int seed = o.Int("--seed", 42, 0);
        var sw = Stopwatch.StartNew();
        using (var file = System.IO.File.Create(path))
        using (Stream output = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : file)
        {
            StixGenerator.Write(output, count, seed);
        }

        stdout.WriteLine(string.Create(s_ci, $"wrote {count} objects to {path} ({new System.IO.FileInfo(path).Length / 1e6:F1} MB) in {sw.Elapsed.TotalSeconds:F1} s"));
        return CommandLine.Ok;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var o = Options.Parse(args, ["--queries"], ["--iterations", "--pg", "--db", "--source", "--samples"]);
        return o.Has("--queries") ? Queries(o, stdout) : Import(o, stdout, stderr);
    }

    private static int Import(Options o, TextWriter stdout, TextWriter stderr)
    {
        if (o.Positional.Count != 1)
        {
            throw new UsageException("bench store needs exactly one FILE to import");
        }

        string file = o.Positional[0];
        int iterations = o.Int("--iterations", 5);
        string? pg = o.Get("--pg") ?? Environment.GetEnvironmentVariable("THREATLEDGER_PG");
        byte[] bytes = InputFile.ReadAllBytes(file);

        // Parse-only speed (what 'bench stix' measures), in this process, on the same bytes.
        var parse = new double[iterations];
        int objects = StixJson.Read(bytes).Objects.Count;
        for (int i = 0; i < 3; i++)
        {
            GC.KeepAlive(StixJson.Read(bytes));
        }

        for (int i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            GC.KeepAlive(StixJson.Read(bytes));
            parse[i] = sw.Elapsed.TotalSeconds;
        }

        double parseRate = objects / BenchCommand.Median(parse);
        stdout.WriteLine(string.Create(s_ci, $"file: {file} ({bytes.Length / 1e6:F1} MB, {objects} objects)"));
        stdout.WriteLine(string.Create(s_ci, $"parse+validate (in memory): median {BenchCommand.Median(parse) * 1000:F0} ms, {parseRate:F0} objects/s"));

        var backends = new List<(string Name, Func<(IStixStore Store, Action Drop)> Create)>
        {
            ("sqlite", (Func<(IStixStore, Action)>)(() =>
            {
                string path = Path.Combine(Path.GetTempPath(), "tl-bench-" + Guid.NewGuid().ToString("N") + ".db");
                var store = SqliteStixStore.Open(path);
                return ((IStixStore)store, (Action)(() =>
                {
                    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                    foreach (var f in new[] { path, path + "-wal", path + "-shm" })
                    {
                        System.IO.File.Delete(f);
                    }
                }));
            })),
        };
        if (pg is not null)
        {
            backends.Add(("postgres", (Func<(IStixStore, Action)>)(() =>
            {
                string name = "tl_bench_" + Guid.NewGuid().ToString("N");
                Exec(pg, $"CREATE DATABASE {name}");
                var cs = new NpgsqlConnectionStringBuilder(PostgresStixStore.ToKeyValue(pg)) { Database = name }.ConnectionString;
                var store = PostgresStixStore.Open(cs);
                return ((IStixStore)store, (Action)(() =>
                {
                    NpgsqlConnection.ClearAllPools();
                    Exec(pg, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                }));
            })));
        }
        else
        {
            stderr.WriteLine("bench store: no PostgreSQL given (--pg CONNECTION or THREATLEDGER_PG); timing SQLite only");
        }

        foreach (var (name, create) in backends)
        {
            var times = new double[iterations];
            var ratios = new double[iterations];
            long stored = 0;
            for (int i = 0; i < iterations; i++)
            {
                var (store, drop) = create();
                try
                {
                    var sw = Stopwatch.StartNew();
                    using var input = new MemoryStream(bytes, false);
                    var summary = StixImporter.ImportAsync(store, input, file).GetAwaiter().GetResult();
                    times[i] = sw.Elapsed.TotalSeconds;
                    stored = summary.Succeeded;

                    // The same iteration's parse time, back to back, so machine drift hits both.
                    sw.Restart();
                    GC.KeepAlive(StixJson.Read(bytes));
                    ratios[i] = (objects / times[i]) / (objects / sw.Elapsed.TotalSeconds);
                }
                finally
                {
                    store.Dispose();
                    drop();
                }
            }

            double t = BenchCommand.Median(times);
            stdout.WriteLine(string.Create(s_ci, $"{name}: import median {t:F2} s (min {times.Min():F2}, max {times.Max():F2}) of {iterations}, {objects / t:F0} objects/s, {stored} stored; ratio to parse-only speed: {BenchCommand.Median(ratios):F3}"));
        }

        return CommandLine.Ok;
    }

    private static void Exec(string server, string sql)
    {
        using var c = new NpgsqlConnection(PostgresStixStore.ToKeyValue(server));
        c.Open();
        using var cmd = new NpgsqlCommand(sql, c);
        cmd.ExecuteNonQuery();
    }

    private static int Queries(Options o, TextWriter stdout)
    {
        string source = o.Get("--source") ?? throw new UsageException("bench store --queries needs --source FILE (the bundle the store was loaded from, to sample ids and words)");
        int samples = o.Int("--samples", 2000);
        using var store = StoreOpener.Open(o, create: false);

        // Sample ids, walk starts and search words from the source, in one streaming pass.
        var rng = new Random(7);
        var ids = new List<string>();
        var starts = new List<string>();
        var words = new List<string>();
        long seen = 0, seenStart = 0, seenWord = 0, jsonBytes;
        using (var input = StixImporter.OpenInput(source, out _))
        using (var counted = new CountingStream(input))
        {
            foreach (var item in StixStreamReader.ReadObjects(counted, new StixReaderOptions { Validate = false }))
            {
                if (item.Object is not { } obj)
                {
                    continue;
                }

                Reservoir(ids, obj.Id.Value, samples, ref seen, rng);
                if (obj.Type is "intrusion-set" or "malware" or "identity" or "indicator" or "campaign")
                {
                    Reservoir(starts, obj.Id.Value, samples, ref seenStart, rng);
                }

                if (obj.Type is "intrusion-set" or "malware" or "tool" or "attack-pattern")
                {
                    var json = StixJson.Serialize(obj);
                    using var doc = System.Text.Json.JsonDocument.Parse(json);
                    if (doc.RootElement.TryGetProperty("name", out var n) && n.GetString() is { Length: >= 3 } name)
                    {
                        Reservoir(words, name.Split(' ')[0], samples, ref seenWord, rng);
                    }
                }
            }

            jsonBytes = counted.BytesRead;
        }

        words.AddRange(["国家安全部", "ransomware", "credential", "APT", "T1190"]);
        var stats = store.StatsAsync().GetAwaiter().GetResult();
        stdout.WriteLine(string.Create(s_ci, $"store: {store.Backend}, {stats.Objects} objects, {stats.Versions} versions, {stats.Edges} edges"));
        if (stats.SizeBytes is { } size)
        {
            stdout.WriteLine(string.Create(s_ci, $"size: {size / 1e6:F0} MB on disk for {jsonBytes / 1e6:F0} MB of JSON: {(double)size / jsonBytes:F2}x"));
        }

        var dateAdded = new List<StixTimestamp>();
        Time(stdout, "get by id", samples, i =>
        {
            var got = store.GetAsync(ids[i % ids.Count]).GetAwaiter().GetResult();
            if (got is not null && dateAdded.Count < 1000)
            {
                dateAdded.Add(got.DateAdded);
            }
        });
        Time(stdout, "2-hop neighbours", samples, i => store.NeighborsAsync(starts[i % starts.Count], new NeighborQuery { Depth = 2, Limit = 1000 }).GetAwaiter().GetResult());
        Time(stdout, "text search (20 hits)", samples, i => store.SearchAsync(new SearchQuery { Text = words[i % words.Count], Limit = 20 }).GetAwaiter().GetResult());
        Time(stdout, "TAXII page of 100", samples, i => store.QueryAsync(new ObjectQuery { Limit = 100, AddedAfter = dateAdded[i % dateAdded.Count] }).GetAwaiter().GetResult());
        return CommandLine.Ok;
    }

    private static void Reservoir(List<string> list, string value, int size, ref long seen, Random rng)
    {
        seen++;
        if (list.Count < size)
        {
            list.Add(value);
        }
        else if (rng.NextInt64(seen) < size)
        {
            list[rng.Next(size)] = value;
        }
    }

    private static void Time(TextWriter stdout, string name, int samples, Action<int> op)
    {
        for (int i = 0; i < Math.Min(200, samples); i++)
        {
            op(samples - 1 - i);
        }

        var ms = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            op(i);
            ms[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        Array.Sort(ms);
        stdout.WriteLine(string.Create(s_ci, $"{name}: p50 {P(ms, 0.50):F3} ms, p95 {P(ms, 0.95):F3} ms, p99 {P(ms, 0.99):F3} ms ({samples} samples)"));
    }

    private static double P(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

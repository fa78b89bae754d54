using BenchmarkDotNet.Attributes;
using ThreatLedger.Stix;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Benchmarks;

/// <summary>
/// The embedded store (SQLite) holding the first 10,000 objects of <see cref="BenchmarkInput"/>:
/// reads by id, 2-hop walks, search and TAXII pages; and importing 1,000 objects into a new store
/// against parsing the same bytes (the baseline).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its generated runner from the benchmark class.</remarks>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int StoreObjects = 10_000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tl-bdn-" + Guid.NewGuid().ToString("N"));
    private SqliteStixStore _store = null!;
    private byte[] _import = [];
    private string[] _ids = [];
    private string _hub = string.Empty;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        System.IO.Directory.CreateDirectory(_dir);
        _store = SqliteStixStore.Open(Path.Combine(_dir, "store.db"));
        var bundle = BenchmarkInput.Bundle(StoreObjects);
        using (var input = new MemoryStream(bundle))
        {
            var summary = StixImporter.ImportAsync(_store, input, "bench").GetAwaiter().GetResult();
            if (summary.Failed > 0)
            {
                throw new InvalidOperationException($"{summary.Failed} objects failed to import");
            }
        }

        var doc = StixJson.Read(bundle);
        _ids = doc.Objects.Select(o => o.Id.Value).ToArray();
        _hub = doc.Objects.First(o => o.Type is "intrusion-set" or "malware" or "indicator").Id.Value;
        _import = BenchmarkInput.Bundle(1_000);
        Console.WriteLine($"// StoreBenchmarks: {BenchmarkInput.Describe(StoreObjects)} in SQLite; import of {BenchmarkInput.Describe(1_000)}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_dir, true);
    }

    [Benchmark(Description = "get by id")]
    public object? GetById() => _store.GetAsync(_ids[_next++ % _ids.Length]).GetAwaiter().GetResult();

    [Benchmark(Description = "2-hop neighbours")]
    public int Neighbors() => _store.NeighborsAsync(_hub, new NeighborQuery { Depth = 2, Limit = 1000 }).GetAwaiter().GetResult().Count;

    [Benchmark(Description = "search 'credential'")]
    public int Search() => _store.SearchAsync(new SearchQuery { Text = "credential", Limit = 20 }).GetAwaiter().GetResult().Count;

    [Benchmark(Description = "TAXII page of 100")]
    public int Page() => _store.QueryAsync(new ObjectQuery { Limit = 100 }).GetAwaiter().GetResult().Items.Count;

    [Benchmark(Description = "parse 1,000 objects (baseline for import)")]
    public int Parse1000() => StixJson.Read(_import).Objects.Count;

    [Benchmark(Description = "import 1,000 objects into a new store")]
    public long Import1000()
    {
        string path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".db");
        using (var store = SqliteStixStore.Open(path))
        using (var input = new MemoryStream(_import))
        {
            return StixImporter.ImportAsync(store, input, "bench").GetAwaiter().GetResult().Added;
        }
    }
}

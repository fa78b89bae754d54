using Microsoft.Data.Sqlite;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Storage.Tests;

/// <summary>The conformance suite against SQLite: one temporary file per store, deleted afterwards.</summary>
public sealed class SqliteConformance : StoreConformance
{
    private readonly List<(IStixStore Store, string Path)> _stores = [];

    /// <inheritdoc />
    protected override IStixStore CreateStore(TimeProvider clock)
    {
        string path = Path.Combine(Path.GetTempPath(), "threatledger-tests", Guid.NewGuid().ToString("N") + ".db");
        var store = SqliteStixStore.Open(path, clock);
        Assert.Equal("sqlite", store.Backend);
        _stores.Add((store, path));
        return store;
    }

    /// <inheritdoc />
    protected override IStixStore OpenAgain(IStixStore store, TimeProvider clock)
    {
        var again = SqliteStixStore.Open(((SqliteStixStore)store).Path, clock);
        _stores.Add((again, again.Path));
        return again;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (store, path) in _stores)
            {
                store.Dispose();
                using (var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60 }.ToString()))
                {
                    SqliteConnection.ClearPool(c);
                }

                foreach (string f in new[] { path, path + "-wal", path + "-shm" })
                {
                    try
                    {
                        File.Delete(f);
                    }
                    catch (IOException)
                    {
                    }
                }
            }

            _stores.Clear();
        }

        base.Dispose(disposing);
    }
}

using Microsoft.Data.Sqlite;
using ThreatLedger.Storage.Sqlite;

namespace ThreatLedger.Storage.Tests;

/// <summary>What only the SQLite backend does: its file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "threatledger-tests", Guid.NewGuid().ToString("N"));

    public SqliteStoreTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Exec(string path, string sql)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public void Open_CreatesTheFileAndItsFolder()
    {
        string path = Path.Combine(_dir, "nested", "store.db");

        using var store = SqliteStixStore.Open(path);

        Assert.True(File.Exists(path));
        Assert.Equal(Path.GetFullPath(path), store.Path);
    }

    [Fact]
    public void Open_NewerSchema_IsRefusedWithAnExplanation()
    {
        string path = Path.Combine(_dir, "newer.db");
        Exec(path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; INSERT INTO meta VALUES ('schema', '99')");

        var ex = Assert.Throws<InvalidOperationException>(() => SqliteStixStore.Open(path));

        Assert.Contains("schema 99", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_AFileThatIsNotADatabase_IsInvalidOperation()
    {
        string path = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(path, "These are my notes, not a database. They are long enough to fill a page header and more.");

        Assert.Throws<InvalidOperationException>(() => SqliteStixStore.Open(path).Dispose());
        Assert.StartsWith("These are my notes", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ADatabaseOfAnotherApplication_IsRefusedAndLeftUnchanged()
    {
        string path = Path.Combine(_dir, "other.db");
        Exec(path, "CREATE TABLE objects(x INTEGER); INSERT INTO objects VALUES (42)");

        var ex = Record.Exception(() => SqliteStixStore.Open(path).Dispose());

        SqliteConnection.ClearAllPools();
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name <> 'objects'";
        Assert.Equal(0L, (long)cmd.ExecuteScalar()!);
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("delete", (string)cmd.ExecuteScalar()!);
        Assert.IsType<InvalidOperationException>(ex);
    }
}

/// <summary>StixImporter.OpenInput: plain and gzip files give the same import.</summary>
public sealed class ImporterInputTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "threatledger-tests", Guid.NewGuid().ToString("N"));

    public ImporterInputTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task OpenInput_GzipAndPlain_ImportTheSame()
    {
        var a = StixBuilders.IntrusionSet("APT40");
        var m = StixBuilders.Malware("M");
        string bundle = new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "bundle",
            ["id"] = StixBuilders.NewId("bundle"),
            ["objects"] = new System.Text.Json.Nodes.JsonArray(a, m),
        }.ToJsonString();
        string plain = Path.Combine(_dir, "b.json");
        string gz = Path.Combine(_dir, "b.json.gz");
        await File.WriteAllTextAsync(plain, bundle);
        await using (var f = File.Create(gz))
        await using (var z = new System.IO.Compression.GZipStream(f, System.IO.Compression.CompressionLevel.Fastest))
        {
            await z.WriteAsync(System.Text.Encoding.UTF8.GetBytes(bundle));
        }

        using var store = SqliteStixStore.Open(Path.Combine(_dir, "s.db"));
        ImportSummary fromGz, fromPlain;
        await using (var s = StixImporter.OpenInput(gz, out var counter))
        {
            fromGz = await StixImporter.ImportAsync(store, s, gz);
            Assert.Equal(new FileInfo(gz).Length, counter.BytesRead);
        }

        await using (var s = StixImporter.OpenInput(plain, out _))
        {
            fromPlain = await StixImporter.ImportAsync(store, s, plain);
        }

        Assert.Equal((2L, 0L), (fromGz.Added, fromGz.Failed));
        Assert.Equal((2L, 0L), (fromPlain.Unchanged, fromPlain.Failed));
    }
}

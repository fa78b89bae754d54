using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using ThreatLedger.Stix.Tests;
using ThreatLedger.Storage;
using ThreatLedger.Storage.Postgres;
using ThreatLedger.Storage.Sqlite;
using static ThreatLedger.Cli.Tests.CliRunner;

namespace ThreatLedger.Cli.Tests;

/// <summary>A database for one test: a temporary SQLite file, or a fresh PostgreSQL database.</summary>
public sealed class TestDb : IDisposable
{
    public const string PgVariable = "THREATLEDGER_TEST_PG";
    private readonly string? _pgName;
    private readonly string _dir;

    public TestDb(string backend)
    {
        _dir = Path.Combine(Path.GetTempPath(), "tl-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
        if (backend == "postgres")
        {
            string? server = Environment.GetEnvironmentVariable(PgVariable);
            Skip.If(string.IsNullOrEmpty(server), $"PostgreSQL not available: set {PgVariable} (scripts/test.sh starts a throwaway server)");
            _pgName = "tl_cli_" + Guid.NewGuid().ToString("N");
            using (var c = new NpgsqlConnection(server))
            {
                c.Open();
                using var cmd = new NpgsqlCommand($"CREATE DATABASE {_pgName}", c);
                cmd.ExecuteNonQuery();
            }

            Db = new NpgsqlConnectionStringBuilder(server) { Database = _pgName, Pooling = false }.ConnectionString;
        }
        else
        {
            Db = Path.Combine(_dir, "store.db");
        }
    }

    public string Db { get; }

    public string Dir => _dir;

    public IStixStore Open() => _pgName is null ? SqliteStixStore.Open(Db) : PostgresStixStore.Open(Db);

    public void Dispose()
    {
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var c = new NpgsqlConnection(Environment.GetEnvironmentVariable(PgVariable));
            c.Open();
            using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", c);
            cmd.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class StoreCliTests
{
    private static string Write(TestDb db, string name, params string[] objects)
    {
        string path = Path.Combine(db.Dir, name);
        File.WriteAllText(path, "{\"type\":\"bundle\",\"id\":\"bundle--" + Guid.NewGuid() + "\",\"objects\":[" + string.Join(",", objects) + "]}", Encoding.UTF8);
        return path;
    }

    private const string ActorId = "intrusion-set--1b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f";

    private static string Actor(string modified, string description, string aliases = "\"国家安全部系グループ\"") =>
        "{\"type\":\"intrusion-set\",\"spec_version\":\"2.1\",\"id\":\"" + ActorId + "\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"" + modified
        + "\",\"name\":\"APT40\",\"aliases\":[" + aliases + "],\"description\":\"" + description + "\"}";

    public static TheoryData<string> Backends => new() { "sqlite", "postgres" };

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Get_AfterTwoVersions_LatestAsOfAndAll(string backend)
    {
        using var db = new TestDb(backend);
        var v1 = Write(db, "v1.json", Actor("2021-07-19T00:00:00.000Z", "first"));
        var v2 = Write(db, "v2.json", Actor("2021-07-20T00:00:00.000Z", "second"));

        Assert.Equal(0, Run("import", v1, "--db", db.Db, "--empty").Exit);
        Thread.Sleep(20);
        string between = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        Thread.Sleep(20);
        var second = Run("import", v2, "--db", db.Db, "--empty", "--json");
        Assert.Equal(0, second.Exit);
        using (var status = JsonDocument.Parse(second.Out))
        {
            Assert.Equal(1, status.RootElement.GetProperty("success_count").GetInt32());
            Assert.Equal("new version", status.RootElement.GetProperty("successes")[0].GetProperty("message").GetString());
        }

        var latest = Run("get", ActorId, "--db", db.Db, "--json");
        Assert.Equal(0, latest.Exit);
        Assert.Equal(["second"], Descriptions(latest.Out));

        var then = Run("get", ActorId, "--as-of", between, "--db", db.Db, "--json");
        Assert.Equal(0, then.Exit);
        Assert.Equal(["first"], Descriptions(then.Out));

        var all = Run("get", ActorId, "--version", "all", "--db", db.Db, "--json");
        Assert.Equal(["first", "second"], Descriptions(all.Out));

        var exact = Run("get", ActorId, "--version", "2021-07-19T00:00:00.000Z", "--db", db.Db, "--json");
        Assert.Equal(["first"], Descriptions(exact.Out));

        var before = Run("get", ActorId, "--as-of", "2000-01-01", "--db", db.Db);
        Assert.Equal(1, before.Exit);
        Assert.Contains("no object", before.Err, StringComparison.Ordinal);
    }

    private static List<string> Descriptions(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("versions").EnumerateArray()
            .Select(v => v.GetProperty("object").GetProperty("description").GetString()!).ToList();
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Find_JapaneseSubstringInDescriptionAndAlias_AndFullWidthLatin(string backend)
    {
        using var db = new TestDb(backend);
        const string other = "intrusion-set--2b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f";
        var file = Write(
            db,
            "ja.json",
            Actor("2021-07-19T00:00:00.000Z", "中国国家安全部の支援を受けるとされるグループ。", "\"Kryptonite Panda\""),
            "{\"type\":\"intrusion-set\",\"spec_version\":\"2.1\",\"id\":\"" + other + "\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\",\"name\":\"Other\",\"aliases\":[\"国家安全部系\"]}",
            "{\"type\":\"intrusion-set\",\"spec_version\":\"2.1\",\"id\":\"intrusion-set--3b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\",\"name\":\"Unrelated\",\"description\":\"国家安全保障\"}");
        Assert.Equal(0, Run("import", file, "--db", db.Db, "--empty").Exit);

        var hits = Ids(Run("find", "--text", "国家安全部", "--db", db.Db, "--json").Out);
        Assert.Equal(new[] { ActorId, other }.Order(), hits.Order());

        Assert.Equal([ActorId], Ids(Run("find", "--text", "ＡＰＴ４０", "--db", db.Db, "--json").Out));
        Assert.Equal([ActorId], Ids(Run("find", "--text", "kryptonite panda", "--db", db.Db, "--json").Out));
        var none = Run("find", "--text", "nothing-like-this", "--db", db.Db);
        Assert.Equal(1, none.Exit);
    }

    private static List<string> Ids(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Import_BadObject_FailsWithReasonAndKeepsTheRest(string backend)
    {
        using var db = new TestDb(backend);
        var file = Write(
            db,
            "mixed.json",
            Actor("2021-07-19T00:00:00.000Z", "ok"),
            "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"malware--4b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-18T00:00:00.000Z\",\"name\":\"x\",\"is_family\":true}");
        var (exit, output, _) = Run("import", file, "--db", db.Db, "--empty", "--json");

        Assert.Equal(1, exit);
        using var status = JsonDocument.Parse(output);
        var root = status.RootElement;
        Assert.Equal(2, root.GetProperty("total_count").GetInt32());
        Assert.Equal(1, root.GetProperty("success_count").GetInt32());
        Assert.Equal(1, root.GetProperty("failure_count").GetInt32());
        var failure = root.GetProperty("failures")[0];
        Assert.Equal("malware--4b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f", failure.GetProperty("id").GetString());
        Assert.Contains("modified", failure.GetProperty("message").GetString(), StringComparison.Ordinal);

        var stats = JsonDocument.Parse(Run("stats", "--db", db.Db, "--json").Out).RootElement;
        Assert.Equal(1, stats.GetProperty("objects").GetInt32());
    }

    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Neighbors_FollowsRelationshipsBothWays(string backend)
    {
        using var db = new TestDb(backend);
        const string malware = "malware--5b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f";
        var file = Write(
            db,
            "graph.json",
            Actor("2021-07-19T00:00:00.000Z", "x"),
            "{\"type\":\"malware\",\"spec_version\":\"2.1\",\"id\":\"" + malware + "\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\",\"name\":\"m\",\"is_family\":true}",
            "{\"type\":\"relationship\",\"spec_version\":\"2.1\",\"id\":\"relationship--6b3c9f7e-5d1a-4c2b-9e8f-0a1b2c3d4e5f\",\"created\":\"2021-07-19T00:00:00.000Z\",\"modified\":\"2021-07-19T00:00:00.000Z\",\"relationship_type\":\"uses\",\"source_ref\":\"" + ActorId + "\",\"target_ref\":\"" + malware + "\"}");
        Assert.Equal(0, Run("import", file, "--db", db.Db, "--empty").Exit);

        using var from = JsonDocument.Parse(Run("neighbors", ActorId, "--db", db.Db, "--json").Out);
        var n = Assert.Single(from.RootElement.GetProperty("neighbors").EnumerateArray());
        Assert.Equal(malware, n.GetProperty("id").GetString());
        Assert.Equal("out", n.GetProperty("direction").GetString());
        Assert.Equal("uses", n.GetProperty("kind").GetString());

        using var to = JsonDocument.Parse(Run("neighbors", malware, "--db", db.Db, "--json").Out);
        var back = Assert.Single(to.RootElement.GetProperty("neighbors").EnumerateArray());
        Assert.Equal(ActorId, back.GetProperty("id").GetString());
        Assert.Equal("in", back.GetProperty("direction").GetString());
    }

    [Fact]
    public void ReadCommands_OnAMissingStore_FailWithTheFixAndCreateNothing()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tl-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string typo = Path.Combine(dir, "typo.db");
            foreach (var args in new[] { new[] { "stats" }, ["get", ActorId], ["find", "--text", "x"], ["neighbors", ActorId] })
            {
                var (exit, _, err) = Run([.. args, "--db", typo]);
                Assert.Equal(2, exit);
                Assert.Contains("no store at", err, StringComparison.Ordinal);
                Assert.Contains("threatledger import --db", err, StringComparison.Ordinal);
            }

            Assert.False(File.Exists(typo));

            var notPg = Run("stats", "--db", "Port=5432;Database=x;Username=y");
            Assert.Equal(2, notPg.Exit);
            Assert.Contains("Host=", notPg.Err, StringComparison.Ordinal);

            var directory = Run("import", dir, "--db", Path.Combine(dir, "s.db"));
            Assert.Equal(2, directory.Exit);
            Assert.Contains("is a directory", directory.Err, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, true);
        }
    }

    /// <summary>
    /// Kills a real import process with SIGKILL after its first batches have committed, then imports
    /// again: the store must hold whole batches only, and the re-run must finish the job exactly.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Backends))]
    public void Import_KilledWithSigkill_RerunCompletesWithoutDuplicates(string backend)
    {
        string bundle = SharedData.SkipIfMissing("attack", "enterprise-attack.json.gz");
        using var db = new TestDb(backend);
        const int batch = 500;
        string cli = Path.Combine(AppContext.BaseDirectory, "threatledger.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "exec", cli, "import", bundle, "--db", db.Db, "--empty", "--no-progress", "--batch-size", batch.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        long before;
        using (var child = Process.Start(psi)!)
        using (var store = db.Open())
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                before = store.StatsAsync().GetAwaiter().GetResult().Versions;
                if (before >= 2 * batch || child.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(120))
                {
                    break;
                }

                Thread.Sleep(5);
            }

            Assert.False(child.HasExited, "the import finished before it could be killed; nothing was tested");
            child.Kill(); // SIGKILL on Linux
            child.WaitForExit();
            before = store.StatsAsync().GetAwaiter().GetResult().Versions;
        }

        Assert.InRange(before, 2 * batch, 24_771);
        Assert.Equal(0, before % batch); // whole batches only

        if (backend == "sqlite")
        {
            using var c = new SqliteConnection("Data Source=" + db.Db);
            c.Open();
            using var check = c.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar() as string);
        }

        var (exit, output, _) = Run("import", bundle, "--db", db.Db, "--empty", "--json");
        Assert.Equal(0, exit);
        using var status = JsonDocument.Parse(output);
        var counts = status.RootElement.GetProperty("x_threatledger_import");
        Assert.Equal(24_772 - before, counts.GetProperty("added").GetInt64());
        Assert.Equal(before, counts.GetProperty("unchanged").GetInt64());
        Assert.Equal(0, counts.GetProperty("failed").GetInt64());

        var stats = JsonDocument.Parse(Run("stats", "--db", db.Db, "--json").Out).RootElement;
        Assert.Equal(24_772, stats.GetProperty("objects").GetInt64());
        Assert.Equal(24_772, stats.GetProperty("versions").GetInt64());
    }
}

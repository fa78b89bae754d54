using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace ThreatLedger.Storage.Sqlite;

/// <summary>
/// The embedded default: one SQLite file in WAL mode. Each batch is one IMMEDIATE transaction, so a
/// killed process leaves whole batches and SQLite's journal makes the file consistent on next open.
/// Search uses an FTS5 trigram index over folded text, which finds substrings in any script,
/// Japanese without spaces included.
/// </summary>
public sealed class SqliteStixStore : SqlStixStore
{
    private const int SchemaVersion = 3;
    private readonly string _connectionString;

    // The same file; the explicit mode only makes the string differ, so writers pool apart from readers.
    private readonly string _writeConnectionString;

    private SqliteStixStore(string connectionString, TimeProvider? clock)
        : base(clock)
    {
        _connectionString = connectionString;
        _writeConnectionString = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
    }

    /// <inheritdoc />
    public override string Backend => "sqlite";

    /// <inheritdoc />
    protected override string SettingsTable => "meta";

    /// <inheritdoc />
    protected override string DeleteSearchSql => "DELETE FROM search WHERE rowid = @seq; DELETE FROM search_names WHERE rowid = @seq; DELETE FROM search_meta WHERE seq = @seq";

    /// <summary>The database file.</summary>
    public string Path { get; private init; } = string.Empty;

    /// <summary>Opens (creating when missing) the store in <paramref name="path"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is not a ThreatLedger store, or one of a newer schema.</exception>
    public static SqliteStixStore Open(string path, TimeProvider? clock = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var cs = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true, DefaultTimeout = 60 }.ToString();
        var store = new SqliteStixStore(cs, clock) { Path = full };
        try
        {
            store.CreateSchema();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is 26)
        {
            throw new InvalidOperationException($"{full} is not a SQLite database (a ThreatLedger store is one); give --db a new file name", ex);
        }

        return store;
    }

    private void CreateSchema()
    {
        using var c = (SqliteConnection)Open();
        using (var look = c.CreateCommand())
        {
            // Refuse files that are not ours before changing anything in them (WAL mode is persistent).
            look.CommandText = "SELECT (SELECT COUNT(*) FROM sqlite_master), (SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta')";
            using var r = look.ExecuteReader();
            r.Read();
            if (r.GetInt64(0) > 0 && r.GetInt64(1) == 0)
            {
                throw new InvalidOperationException($"{Path} is a SQLite database of another application, not a ThreatLedger store; give --db a new file name");
            }
        }

        using (var wal = c.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
        }

        using var tx = c.BeginTransaction(deferred: false);
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID; "
            + "CREATE TABLE IF NOT EXISTS audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT); "
            + "SELECT value FROM meta WHERE key = 'schema'";
        var existing = cmd.ExecuteScalar() as string;
        if (existing is not null)
        {
            if (existing != SchemaVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"{Path} has store schema {existing}; this ThreatLedger reads schema {SchemaVersion}. Use a ThreatLedger release that matches, or import into a new file.");
            }

            tx.Commit();
            return;
        }

        cmd.CommandText = """
            CREATE TABLE objects(
              seq INTEGER PRIMARY KEY,
              id TEXT NOT NULL,
              type TEXT NOT NULL,
              spec_version TEXT NOT NULL,
              version_ticks INTEGER NOT NULL,
              version TEXT NOT NULL,
              date_added INTEGER NOT NULL,
              is_latest INTEGER NOT NULL,
              tlp INTEGER,
              json BLOB NOT NULL);
            CREATE UNIQUE INDEX objects_id_version ON objects(id, version_ticks);
            CREATE INDEX objects_latest_type ON objects(type, seq) WHERE is_latest = 1;
            CREATE INDEX objects_date_added ON objects(date_added);
            CREATE TABLE edges(owner INTEGER NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, kind TEXT NOT NULL, via TEXT, tlp INTEGER);
            CREATE INDEX edges_src ON edges(src);
            CREATE INDEX edges_dst ON edges(dst);
            CREATE INDEX edges_owner ON edges(owner);
            CREATE TABLE search_meta(seq INTEGER PRIMARY KEY, name TEXT NOT NULL, aliases TEXT NOT NULL, keys TEXT NOT NULL, display TEXT);
            CREATE VIRTUAL TABLE search USING fts5(doc, tokenize = 'trigram', detail = none);
            CREATE VIRTUAL TABLE search_names USING fts5(doc, tokenize = 'trigram', detail = none);
            INSERT INTO meta(key, value) VALUES ('schema', '3');
            """;
        cmd.ExecuteNonQuery();
        tx.Commit();
        Created = true;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Readers get a 2 MB page cache each and no memory map: a server holds many pooled connections,
    /// and the operating system's file cache serves them all without counting in the process's memory.
    /// </remarks>
    protected override DbConnection Open() => Connect(_connectionString, "PRAGMA cache_size = -2048; PRAGMA mmap_size = 0");

    /// <inheritdoc />
    /// <remarks>Writers (one at a time: the write lock) get a 256 MB page cache, which bulk imports need for their index updates; they pool apart from readers.</remarks>
    protected override DbConnection OpenForWrite() => Connect(_writeConnectionString, "PRAGMA cache_size = -262144; PRAGMA mmap_size = 0");

    private static SqliteConnection Connect(string connectionString, string pragmas)
    {
        var c = new SqliteConnection(connectionString);
        c.Open();

        // The settings belong to the native connection, which the pool hands out again and again:
        // set them once per native connection, not on every open (a server opens one per request).
        if (!s_configured.TryGetValue(c.Handle!, out _))
        {
            using var cmd = c.CreateCommand();
            cmd.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 16384; PRAGMA temp_store = MEMORY; " + pragmas;
            cmd.ExecuteNonQuery();
            s_configured.AddOrUpdate(c.Handle!, s_marker);
        }

        return c;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> s_configured = [];
    private static readonly object s_marker = new();

    /// <inheritdoc />
    /// <remarks>
    /// Steps the page's statement through SQLitePCL directly and copies each JSON blob from SQLite's
    /// row buffer into <paramref name="output"/>: no object, string or array per row. A page of 100
    /// ATT&amp;CK objects is about 150 KB, and a TAXII server sends thousands of them a second.
    /// </remarks>
    public override Task<JsonPage> QueryJsonAsync(ObjectQuery query, System.Buffers.IBufferWriter<byte> output, CancellationToken cancellationToken = default)
    {
        using var connection = (SqliteConnection)Open();
        using var cmd = BuildQuery(connection, query, "seq, date_added, json");
        var db = connection.Handle!;
        RawStatement.Check(db, SQLitePCL.raw.sqlite3_prepare_v2(db, cmd.CommandText, out var stmt));
        using (stmt)
        {
            foreach (DbParameter p in cmd.Parameters)
            {
                int index = SQLitePCL.raw.sqlite3_bind_parameter_index(stmt, p.ParameterName);
                if (index == 0)
                {
                    continue;
                }

                RawStatement.Check(db, p.Value switch
                {
                    long l => SQLitePCL.raw.sqlite3_bind_int64(stmt, index, l),
                    int i => SQLitePCL.raw.sqlite3_bind_int64(stmt, index, i),
                    string t => SQLitePCL.raw.sqlite3_bind_text(stmt, index, t),
                    var other => throw new InvalidOperationException($"parameter {p.ParameterName}: no binding for {other?.GetType().Name ?? "null"}"),
                });
            }

            int limit = Limit(query), count = 0, rc;
            long lastSeq = 0, first = long.MaxValue, last = long.MinValue;
            bool more = false;
            while ((rc = SQLitePCL.raw.sqlite3_step(stmt)) == SQLitePCL.raw.SQLITE_ROW)
            {
                if (count == limit)
                {
                    more = true;
                    break;
                }

                lastSeq = SQLitePCL.raw.sqlite3_column_int64(stmt, 0);
                long added = SQLitePCL.raw.sqlite3_column_int64(stmt, 1);
                first = Math.Min(first, added);
                last = Math.Max(last, added);
                if (count > 0)
                {
                    output.Write(","u8);
                }

                output.Write(SQLitePCL.raw.sqlite3_column_blob(stmt, 2));
                count++;
            }

            if (rc is not SQLitePCL.raw.SQLITE_ROW and not SQLitePCL.raw.SQLITE_DONE)
            {
                RawStatement.Check(db, rc);
            }

            return Task.FromResult(new JsonPage(
                count,
                more,
                more ? Cursor.Encode(lastSeq) : null,
                count > 0 ? PutPlanner.DateAdded(first) : null,
                count > 0 ? PutPlanner.DateAdded(last) : null));
        }
    }

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection) => ((SqliteConnection)connection).BeginTransaction(deferred: false);

    /// <inheritdoc />
    protected override void WriteRows(DbConnection connection, DbTransaction transaction, IReadOnlyList<PlannedInsert> inserts)
    {
        using var demote = Command(connection, transaction, "UPDATE objects INDEXED BY objects_id_version SET is_latest = 0 WHERE id = @id AND is_latest = 1 RETURNING seq");
        var demoteId = Param(demote, "id", string.Empty);
        using var dropEdges = Command(connection, transaction, "DELETE FROM edges WHERE owner = @seq");
        var dropEdgesSeq = Param(dropEdges, "seq", 0L);
        using var dropSearch = Command(connection, transaction, "DELETE FROM search WHERE rowid = @seq; DELETE FROM search_names WHERE rowid = @seq; DELETE FROM search_meta WHERE seq = @seq");
        var dropSearchSeq = Param(dropSearch, "seq", 0L);
        var c = (SqliteConnection)connection;
        using var insert = new RawStatement(c,
            "INSERT INTO objects(id, type, spec_version, version_ticks, version, date_added, is_latest, tlp, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        using var edge = new RawStatement(c, "INSERT INTO edges(owner, src, dst, kind, via, tlp) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        using var search = new RawStatement(c, "INSERT INTO search(rowid, doc) VALUES (?1, ?2)");
        using var names = new RawStatement(c, "INSERT INTO search_names(rowid, doc) VALUES (?1, ?2)");
        using var meta = new RawStatement(c, "INSERT INTO search_meta(seq, name, aliases, keys, display) VALUES (?1, ?2, ?3, ?4, ?5)");
        demote.Prepare();

        foreach (var ins in inserts)
        {
            var o = ins.Object;
            if (ins.ReplacesLatest)
            {
                demoteId.Value = o.Id;
                if (demote.ExecuteScalar() is long old)
                {
                    dropEdgesSeq.Value = old;
                    dropEdges.ExecuteNonQuery();
                    dropSearchSeq.Value = old;
                    dropSearch.ExecuteNonQuery();
                }
            }

            long? tlp = o.Tlp is { } t ? (long)t : null;
            insert.Bind(1, o.Id).Bind(2, o.Type).Bind(3, o.SpecVersion).Bind(4, ins.Version.Ticks).Bind(5, ins.Version.ToString())
                .Bind(6, ins.DateAdded.Ticks).Bind(7, ins.IsLatest ? 1L : 0L).Bind(8, tlp).Bind(9, o.Json).Run();
            long seq = insert.LastInsertRowId;
            if (!ins.IsLatest)
            {
                continue;
            }

            foreach (var ed in o.Edges)
            {
                edge.Bind(1, seq).Bind(2, ed.Source).Bind(3, ed.Target).Bind(4, ed.Kind).Bind(5, ed.Via).Bind(6, tlp).Run();
            }

            var f = o.Search;
            search.Bind(1, seq).Bind(2, SearchDocument(f)).Run();
            names.Bind(1, seq).Bind(2, NamesDocument(f)).Run();
            meta.Bind(1, seq).Bind(2, f.Name).Bind(3, f.Aliases).Bind(4, f.Keys).Bind(5, f.DisplayName).Run();
        }
    }

    /// <inheritdoc />
    protected override SearchPass SearchSql(DbCommand cmd, IReadOnlyList<string> words, bool names)
    {
        // GLOB on the trigram indexes: words of three or more characters are looked up, shorter ones scanned.
        var globs = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            string n = "w" + i.ToString(CultureInfo.InvariantCulture);
            Param(cmd, n, "*" + EscapeGlob(words[i]) + "*");
            globs.Add($"doc GLOB @{n}");
        }

        // The text part of the document is what follows the name, aliases and keys (so both backends score alike).
        string score = ScoreSql("instr", "char(10)", "substr(f.doc, length(s.name) + length(s.aliases) + length(s.keys) + 4)");
        return names
            ? new SearchPass(
                "search_names n JOIN search_meta s ON s.seq = n.rowid JOIN objects o ON o.seq = n.rowid JOIN search f ON f.rowid = n.rowid",
                globs.Select(g => "n." + g).ToList(),
                score,
                "n.rowid")
            : new SearchPass(
                "search f JOIN search_meta s ON s.seq = f.rowid JOIN objects o ON o.seq = f.rowid",
                [.. globs.Select(g => "f." + g), $"f.rowid NOT IN (SELECT rowid FROM search_names WHERE {string.Join(" AND ", globs)})"],
                score,
                "f.rowid");
    }

    private static string EscapeGlob(string word)
    {
        var sb = new StringBuilder(word.Length);
        foreach (char c in word)
        {
            _ = c is '*' or '?' or '[' ? sb.Append('[').Append(c).Append(']') : sb.Append(c);
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    protected override long? SizeBytes(DbConnection connection)
    {
        long size = 0;
        foreach (var f in new[] { Path, Path + "-wal" })
        {
            if (File.Exists(f))
            {
                size += new FileInfo(f).Length;
            }
        }

        return size;
    }
}

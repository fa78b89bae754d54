using System.Data.Common;
using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ThreatLedger.Storage.Postgres;

/// <summary>
/// The team backend: PostgreSQL. Writers take a transaction-level advisory lock, so date_added and
/// the sequence grow together across processes; rows go in with binary COPY. Search uses pg_trgm
/// GIN indexes over folded text (substrings in any script, Japanese included).
/// </summary>
public sealed class PostgresStixStore : SqlStixStore
{
    private const long WriteLock = 0x54_4C_53_54_4F_52_45; // "TLSTORE"
    private const string SchemaVersion = "2";
    private readonly NpgsqlDataSource _source;

    private PostgresStixStore(NpgsqlDataSource source, TimeProvider? clock)
        : base(clock) => _source = source;

    /// <inheritdoc />
    public override string Backend => "postgres";

    /// <inheritdoc />
    protected override string SettingsTable => "threatledger_meta";

    /// <inheritdoc />
    protected override string DeleteSearchSql => "DELETE FROM search WHERE seq = @seq";

    /// <summary>
    /// Opens (creating the schema when missing) the store at <paramref name="connectionString"/>: key=value
    /// pairs (Host=…;Database=…) or a postgres://user:password@host:port/database URL.
    /// </summary>
    public static PostgresStixStore Open(string connectionString, TimeProvider? clock = null)
    {
        var builder = new NpgsqlDataSourceBuilder(ToKeyValue(connectionString));
        var store = new PostgresStixStore(builder.Build(), clock);
        try
        {
            store.CreateSchema();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return store;
    }

    /// <summary>Turns a postgres:// URL into Npgsql's key=value form (other strings pass through).</summary>
    public static string ToKeyValue(string connection)
    {
        if (!connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) && !connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return connection;
        }

        var uri = new Uri(connection);
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host, Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            b.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length > 1)
            {
                b.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        string db = uri.AbsolutePath.Trim('/');
        if (db.Length > 0)
        {
            b.Database = Uri.UnescapeDataString(db);
        }

        return b.ConnectionString;
    }

    private void CreateSchema()
    {
        using var c = _source.OpenConnection();
        using var tx = c.BeginTransaction();
        Exec(c, tx, $"SELECT pg_advisory_xact_lock({WriteLock})");
        Exec(c, tx, "CREATE TABLE IF NOT EXISTS threatledger_meta(key text PRIMARY KEY, value text NOT NULL)");
        Exec(c, tx, "CREATE TABLE IF NOT EXISTS audit(seq bigserial PRIMARY KEY, at bigint NOT NULL, actor text NOT NULL, action text NOT NULL, detail text)");
        using (var cmd = new NpgsqlCommand("SELECT value FROM threatledger_meta WHERE key = 'schema'", c, tx))
        {
            if (cmd.ExecuteScalar() is string existing)
            {
                if (existing != SchemaVersion)
                {
                    throw new InvalidOperationException($"the database has store schema {existing}; this ThreatLedger reads schema {SchemaVersion}");
                }

                tx.Commit();
                return;
            }
        }

        Exec(c, tx, """
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
            CREATE TABLE objects(
              seq bigserial PRIMARY KEY,
              id text NOT NULL,
              type text NOT NULL,
              spec_version text NOT NULL,
              version_ticks bigint NOT NULL,
              version text NOT NULL,
              date_added bigint NOT NULL,
              is_latest smallint NOT NULL,
              tlp smallint,
              json bytea NOT NULL);
            CREATE UNIQUE INDEX objects_id_version ON objects(id, version_ticks);
            CREATE INDEX objects_latest_type ON objects(type, seq) WHERE is_latest = 1;
            CREATE INDEX objects_latest_id ON objects(id) WHERE is_latest = 1;
            CREATE INDEX objects_date_added ON objects(date_added);
            CREATE TABLE edges(owner bigint NOT NULL, src text NOT NULL, dst text NOT NULL, kind text NOT NULL, via text, tlp smallint);
            CREATE INDEX edges_src ON edges(src);
            CREATE INDEX edges_dst ON edges(dst);
            CREATE INDEX edges_owner ON edges(owner);
            CREATE TABLE search(seq bigint PRIMARY KEY, name text NOT NULL, aliases text NOT NULL, keys text NOT NULL, body text NOT NULL, display text);
            CREATE INDEX search_text ON search USING gin ((name || E'\n' || aliases || E'\n' || keys || E'\n' || body) gin_trgm_ops);
            CREATE INDEX search_names ON search USING gin ((name || E'\n' || aliases || E'\n' || keys) gin_trgm_ops);
            INSERT INTO threatledger_meta(key, value) VALUES ('schema', '2');
            """);
        tx.Commit();
        Created = true;
    }

    private static void Exec(NpgsqlConnection c, NpgsqlTransaction? tx, string sql)
    {
        using var cmd = new NpgsqlCommand(sql, c, tx);
        cmd.ExecuteNonQuery();
    }

    /// <inheritdoc />
    protected override DbConnection Open() => _source.OpenConnection();

    /// <inheritdoc />
    protected override DbTransaction BeginWrite(DbConnection connection)
    {
        var c = (NpgsqlConnection)connection;
        var tx = c.BeginTransaction();
        Exec(c, tx, $"SELECT pg_advisory_xact_lock({WriteLock})");
        return tx;
    }

    /// <inheritdoc />
    protected override void WriteRows(DbConnection connection, DbTransaction transaction, IReadOnlyList<PlannedInsert> inserts)
    {
        var c = (NpgsqlConnection)connection;
        var tx = (NpgsqlTransaction)transaction;

        // Within a batch an id may get several versions; only the newest one planned as latest stays latest.
        var finalLatest = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < inserts.Count; i++)
        {
            if (inserts[i].IsLatest)
            {
                finalLatest[inserts[i].Object.Id] = i;
            }
        }

        if (finalLatest.Count > 0)
        {
            var old = new List<long>();
            using (var demote = new NpgsqlCommand("UPDATE objects SET is_latest = 0 WHERE is_latest = 1 AND id = ANY(@ids) RETURNING seq", c, tx))
            {
                demote.Parameters.AddWithValue("ids", finalLatest.Keys.ToArray());
                using var r = demote.ExecuteReader();
                while (r.Read())
                {
                    old.Add(r.GetInt64(0));
                }
            }

            if (old.Count > 0)
            {
                using var drop = new NpgsqlCommand("DELETE FROM edges WHERE owner = ANY(@s); DELETE FROM search WHERE seq = ANY(@s)", c, tx);
                drop.Parameters.AddWithValue("s", old.ToArray());
                drop.ExecuteNonQuery();
            }
        }

        var seqs = new List<long>(inserts.Count);
        using (var next = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('objects', 'seq')) FROM generate_series(1, @n)", c, tx))
        {
            next.Parameters.AddWithValue("n", inserts.Count);
            using var r = next.ExecuteReader();
            while (r.Read())
            {
                seqs.Add(r.GetInt64(0));
            }
        }

        seqs.Sort();
        using (var w = c.BeginBinaryImport("COPY objects (seq, id, type, spec_version, version_ticks, version, date_added, is_latest, tlp, json) FROM STDIN (FORMAT BINARY)"))
        {
            for (int i = 0; i < inserts.Count; i++)
            {
                var ins = inserts[i];
                var o = ins.Object;
                bool latest = finalLatest.TryGetValue(o.Id, out int at) && at == i;
                w.StartRow();
                w.Write(seqs[i], NpgsqlDbType.Bigint);
                w.Write(o.Id, NpgsqlDbType.Text);
                w.Write(o.Type, NpgsqlDbType.Text);
                w.Write(o.SpecVersion, NpgsqlDbType.Text);
                w.Write(ins.Version.Ticks, NpgsqlDbType.Bigint);
                w.Write(ins.Version.ToString(), NpgsqlDbType.Text);
                w.Write(ins.DateAdded.Ticks, NpgsqlDbType.Bigint);
                w.Write((short)(latest ? 1 : 0), NpgsqlDbType.Smallint);
                WriteTlp(w, o.Tlp);
                w.Write(o.Json, NpgsqlDbType.Bytea);
            }

            w.Complete();
        }

        using (var w = c.BeginBinaryImport("COPY edges (owner, src, dst, kind, via, tlp) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var i in finalLatest.Values)
            {
                foreach (var e in inserts[i].Object.Edges)
                {
                    w.StartRow();
                    w.Write(seqs[i], NpgsqlDbType.Bigint);
                    w.Write(e.Source, NpgsqlDbType.Text);
                    w.Write(e.Target, NpgsqlDbType.Text);
                    w.Write(e.Kind, NpgsqlDbType.Text);
                    if (e.Via is null)
                    {
                        w.WriteNull();
                    }
                    else
                    {
                        w.Write(e.Via, NpgsqlDbType.Text);
                    }

                    WriteTlp(w, inserts[i].Object.Tlp);
                }
            }

            w.Complete();
        }

        using (var w = c.BeginBinaryImport("COPY search (seq, name, aliases, keys, body, display) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var i in finalLatest.Values)
            {
                var f = inserts[i].Object.Search;
                w.StartRow();
                w.Write(seqs[i], NpgsqlDbType.Bigint);
                w.Write(f.Name, NpgsqlDbType.Text);
                w.Write(f.Aliases, NpgsqlDbType.Text);
                w.Write(f.Keys, NpgsqlDbType.Text);
                w.Write(f.Body, NpgsqlDbType.Text);
                if (f.DisplayName is null)
                {
                    w.WriteNull();
                }
                else
                {
                    w.Write(f.DisplayName, NpgsqlDbType.Text);
                }
            }

            w.Complete();
        }
    }

    private static void WriteTlp(NpgsqlBinaryImporter w, TlpLevel? tlp)
    {
        if (tlp is { } t)
        {
            w.Write((short)t, NpgsqlDbType.Smallint);
        }
        else
        {
            w.WriteNull();
        }
    }

    /// <inheritdoc />
    protected override SearchPass SearchSql(DbCommand cmd, IReadOnlyList<string> words, bool names)
    {
        // The expressions of the two pg_trgm GIN indexes.
        const string NamesDoc = "(s.name || E'\\n' || s.aliases || E'\\n' || s.keys)";
        const string FullDoc = "(s.name || E'\\n' || s.aliases || E'\\n' || s.keys || E'\\n' || s.body)";
        var inNames = new List<string>();
        var inFull = new List<string>();
        for (int i = 0; i < words.Count; i++)
        {
            string n = "w" + i.ToString(CultureInfo.InvariantCulture);
            Param(cmd, n, "%" + EscapeLike(words[i]) + "%");
            inNames.Add($"{NamesDoc} LIKE @{n}");
            inFull.Add($"{FullDoc} LIKE @{n}");
        }

        return new SearchPass(
            "search s JOIN objects o ON o.seq = s.seq",
            names ? inNames : [.. inFull, "NOT (" + string.Join(" AND ", inNames) + ")"],
            ScoreSql("strpos", "chr(10)", "s.body"),
            "s.seq");
    }

    private static string EscapeLike(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char ch in s)
        {
            if (ch is '\\' or '%' or '_')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }

        return sb.ToString();
    }

    /// <inheritdoc />
    protected override long? SizeBytes(DbConnection connection) =>
        Scalar<long?>(connection, null, "SELECT pg_total_relation_size('objects') + pg_total_relation_size('edges') + pg_total_relation_size('search')");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source.Dispose();
        }

        base.Dispose(disposing);
    }
}

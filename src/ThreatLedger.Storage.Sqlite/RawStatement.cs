using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ThreatLedger.Storage.Sqlite;

/// <summary>
/// A prepared statement driven through SQLitePCL directly, for the bulk-write loop: binding and
/// stepping without ADO.NET's per-execution objects roughly halves the cost of small inserts.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public RawStatement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_stmt, index) : raw.sqlite3_bind_text(_stmt, index, value));
        return this;
    }

    public RawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public RawStatement Bind(int index, long? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_int64(_stmt, index, v) : raw.sqlite3_bind_null(_stmt, index));
        return this;
    }

    public RawStatement Bind(int index, ReadOnlySpan<byte> blob)
    {
        Check(raw.sqlite3_bind_blob(_stmt, index, blob));
        return this;
    }

    /// <summary>Runs the statement to completion and resets it for the next row.</summary>
    public void Run()
    {
        int rc = raw.sqlite3_step(_stmt);
        raw.sqlite3_reset(_stmt);
        if (rc is not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            Check(rc);
        }
    }

    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

    /// <summary>Throws what Microsoft.Data.Sqlite would for a failed call on <paramref name="db"/>.</summary>
    internal static void Check(sqlite3 db, int rc)
    {
        if (rc is not raw.SQLITE_OK and not raw.SQLITE_DONE and not raw.SQLITE_ROW)
        {
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc);
        }
    }

    private void Check(int rc) => Check(_db, rc);

    public void Dispose() => _stmt.Dispose();
}

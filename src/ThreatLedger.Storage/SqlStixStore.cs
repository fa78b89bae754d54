using System.Data.Common;
using System.Globalization;
using System.Text;
using ThreatLedger.Stix;

namespace ThreatLedger.Storage;

/// <summary>
/// The parts of a store that are plain SQL shared by SQLite and PostgreSQL (schema in
/// docs/adr/0002-versioned-store.md): versions in <c>objects</c>, graph edges of latest versions in
/// <c>edges</c>, search text in a backend-specific index. Backends supply connections, the write lock,
/// search and bulk writes.
/// </summary>
public abstract class SqlStixStore : IStixStore
{
    private const string Columns = "seq, id, type, spec_version, version, date_added, is_latest, tlp, json";

    /// <summary>Creates the store.</summary>
    /// <param name="clock">The clock for date_added (tests pass a fake one).</param>
    protected SqlStixStore(TimeProvider? clock) => Clock = clock ?? TimeProvider.System;

    /// <summary>The clock for date_added.</summary>
    protected TimeProvider Clock { get; }

    /// <inheritdoc />
    public abstract string Backend { get; }

    /// <inheritdoc />
    public bool Created { get; protected set; }

    /// <summary>SQL deleting the search entries of the row <c>@seq</c>.</summary>
    protected abstract string DeleteSearchSql { get; }

    /// <summary>The backend's key/value table (it also holds the schema version).</summary>
    protected abstract string SettingsTable { get; }

    /// <summary>Opens a connection (pooled).</summary>
    protected abstract DbConnection Open();

    /// <summary>A connection for a write batch (a backend may tune it for bulk writes); by default <see cref="Open"/>.</summary>
    protected virtual DbConnection OpenForWrite() => Open();

    /// <summary>Begins the write transaction; only one runs at a time, across processes.</summary>
    protected abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>Writes the planned rows: versions, demotions, edges and search text.</summary>
    protected abstract void WriteRows(DbConnection connection, DbTransaction transaction, IReadOnlyList<PlannedInsert> inserts);

    /// <summary>
    /// One pass of a search in the backend's text index: binds the words on <paramref name="cmd"/> and
    /// says where to look. <paramref name="names"/>: objects whose names, aliases or keys hold every word;
    /// otherwise: the rest, whose text holds them.
    /// </summary>
    protected abstract SearchPass SearchSql(DbCommand cmd, IReadOnlyList<string> words, bool names);

    /// <summary>A backend's part of a search pass.</summary>
    /// <param name="From">The FROM clause; it must name the objects row <c>o</c> and a row <c>s</c> with name, aliases, keys and display.</param>
    /// <param name="Conditions">The word conditions.</param>
    /// <param name="Score">The score expression (<see cref="ScoreSql"/>).</param>
    /// <param name="StoreOrder">The ORDER BY of the text pass: the index's own order, so the scan stops at the limit.</param>
    protected sealed record SearchPass(string From, IReadOnlyList<string> Conditions, string Score, string StoreOrder);

    /// <summary>Size of the database in bytes, when the backend can tell.</summary>
    protected abstract long? SizeBytes(DbConnection connection);

    /// <inheritdoc />
    public Task<IReadOnlyList<PutItemResult>> PutAsync(IReadOnlyList<PreparedObject> batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<PutItemResult>>([]);
        }

        using var connection = OpenForWrite();
        using var tx = BeginWrite(connection);
        var existing = LoadExisting(connection, tx, batch.Select(b => b.Id).Distinct(StringComparer.Ordinal).ToList());
        long last = Scalar<long?>(connection, tx, "SELECT MAX(date_added) FROM objects") ?? 0;
        var (results, inserts) = PutPlanner.Plan(batch, existing, PutPlanner.NextDateAddedTicks(Clock, last));
        if (inserts.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteRows(connection, tx, inserts);
        }

        tx.Commit();
        return Task.FromResult<IReadOnlyList<PutItemResult>>(results);
    }

    /// <inheritdoc />
    public Task<int> DeleteAsync(string id, VersionFilter? versions = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var filter = versions ?? VersionFilter.AllVersions;
        using var connection = OpenForWrite();
        using var tx = BeginWrite(connection);
        var rows = new List<(long Seq, long Ticks, bool Latest, byte[] Json)>();
        using (var cmd = Command(connection, tx, "SELECT seq, version_ticks, is_latest, json FROM objects WHERE id = @id ORDER BY version_ticks"))
        {
            Param(cmd, "id", id);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), r.GetInt64(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture) == 1, (byte[])r.GetValue(3)));
            }
        }

        var doomed = rows.Where((row, i) => filter.All || (filter.First && i == 0) || (filter.Last && i == rows.Count - 1) || filter.At.Any(t => t.Ticks == row.Ticks)).ToList();
        if (doomed.Count == 0)
        {
            return Task.FromResult(0);
        }

        var remaining = rows.Except(doomed).ToList();
        bool promote = doomed.Any(d => d.Latest) && remaining.Count > 0;
        using var delete = Command(connection, tx, "DELETE FROM edges WHERE owner = @seq; DELETE FROM objects WHERE seq = @seq; " + DeleteSearchSql);
        var seq = Param(delete, "seq", 0L);
        foreach (var row in promote ? doomed.Append(remaining[^1]) : doomed)
        {
            seq.Value = row.Seq;
            delete.ExecuteNonQuery();
        }

        if (promote)
        {
            // The newest remaining version goes back in through the put path: latest, with its edges and search entries.
            var again = PreparedObject.From(StixJson.ParseObject(System.Text.Encoding.UTF8.GetString(remaining[^1].Json)));
            var existing = LoadExisting(connection, tx, [id]);
            long last = Scalar<long?>(connection, tx, "SELECT MAX(date_added) FROM objects") ?? 0;
            var (_, inserts) = PutPlanner.Plan([again], existing, PutPlanner.NextDateAddedTicks(Clock, last));
            WriteRows(connection, tx, inserts);
        }

        tx.Commit();
        return Task.FromResult(doomed.Count);
    }

    private static List<ExistingVersion> LoadExisting(DbConnection connection, DbTransaction tx, List<string> ids)
    {
        var list = new List<ExistingVersion>();
        foreach (var chunk in ids.Chunk(500))
        {
            using var cmd = Command(connection, tx, string.Empty);
            cmd.CommandText = "SELECT id, version_ticks, version, is_latest, json FROM objects WHERE id IN (" + InList(cmd, "i", chunk) + ")";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                list.Add(new ExistingVersion(r.GetString(0), r.GetInt64(1), r.GetString(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture) == 1, (byte[])r.GetValue(4)));
            }
        }

        return list;
    }

    /// <inheritdoc />
    public Task<StoredObject?> GetAsync(string id, StixTimestamp? version = null, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var cmd = Command(connection, null, string.Empty);
        var sql = new StringBuilder($"SELECT {Columns} FROM objects WHERE id = @id");
        Param(cmd, "id", id);
        if (version is { } v)
        {
            sql.Append(" AND version_ticks = @v");
            Param(cmd, "v", v.Ticks);
        }

        if (asOf is { } a)
        {
            sql.Append(" AND date_added <= @asof");
            Param(cmd, "asof", a.Ticks);
        }

        sql.Append(" ORDER BY version_ticks DESC LIMIT 1");
        cmd.CommandText = sql.ToString();
        var found = ReadObjects(cmd).FirstOrDefault();
        if (found is null || !Visible(found.Tlp, access))
        {
            return Task.FromResult<StoredObject?>(null);
        }

        // An object is visible when its latest version (as of then) is; a given version must be visible too.
        if (access is not null && version is not null && !LatestVisible(connection, id, asOf, access))
        {
            return Task.FromResult<StoredObject?>(null);
        }

        return Task.FromResult<StoredObject?>(found);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredObject>> GetVersionsAsync(string id, StixTimestamp? asOf = null, AccessFilter? access = null, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var cmd = Command(connection, null, string.Empty);
        var sql = new StringBuilder($"SELECT {Columns} FROM objects WHERE id = @id");
        Param(cmd, "id", id);
        if (asOf is { } a)
        {
            sql.Append(" AND date_added <= @asof");
            Param(cmd, "asof", a.Ticks);
        }

        sql.Append(" ORDER BY version_ticks");
        cmd.CommandText = sql.ToString();
        var rows = ReadObjects(cmd);

        // An object is visible when its latest version (as of then) is; then each visible version is shown.
        if (access is not null && (rows.Count == 0 || !Visible(rows[^1].Tlp, access)))
        {
            return Task.FromResult<IReadOnlyList<StoredObject>>([]);
        }

        return Task.FromResult<IReadOnlyList<StoredObject>>(rows.Where(r => Visible(r.Tlp, access)).ToList());
    }

    private static bool LatestVisible(DbConnection connection, string id, StixTimestamp? asOf, AccessFilter access)
    {
        using var cmd = Command(connection, null, "SELECT tlp FROM objects WHERE id = @id" + (asOf is null ? string.Empty : " AND date_added <= @asof") + " ORDER BY version_ticks DESC LIMIT 1");
        Param(cmd, "id", id);
        if (asOf is { } a)
        {
            Param(cmd, "asof", a.Ticks);
        }

        using var r = cmd.ExecuteReader();
        return r.Read() && Visible(r.IsDBNull(0) ? null : (TlpLevel)Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), access);
    }

    /// <inheritdoc />
    public Task<Page<StoredObject>> QueryAsync(ObjectQuery query, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var cmd = BuildQuery(connection, query, Columns);
        var rows = ReadObjects(cmd);
        int limit = Limit(query);
        bool more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return Task.FromResult(new Page<StoredObject>(rows, more, more ? Cursor.Encode(rows[^1].Sequence) : null));
    }

    /// <inheritdoc />
    public virtual async Task<JsonPage> QueryJsonAsync(ObjectQuery query, System.Buffers.IBufferWriter<byte> output, CancellationToken cancellationToken = default) =>
        JsonPage.Write(await QueryAsync(query, cancellationToken).ConfigureAwait(false), output);

    /// <inheritdoc />
    public async Task<Page<ManifestEntry>> ManifestAsync(ObjectQuery query, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var cmd = BuildQuery(connection, query, "seq, id, version, date_added");
        var rows = new List<(long Seq, ManifestEntry Entry)>();
        using (var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (r.Read())
            {
                rows.Add((r.GetInt64(0), new ManifestEntry(r.GetString(1), PutPlanner.DateAdded(r.GetInt64(3)), StixTimestamp.Parse(r.GetString(2)))));
            }
        }

        int limit = Limit(query);
        bool more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new Page<ManifestEntry>(rows.Select(x => x.Entry).ToList(), more, more ? Cursor.Encode(rows[^1].Seq) : null);
    }

    /// <summary>The page size a query asks for, within the store's bounds.</summary>
    protected static int Limit(ObjectQuery q) => Math.Clamp(q.Limit, 1, ObjectQuery.MaxLimit);

    /// <summary>The SELECT of one page for <paramref name="q"/> (the columns given, then ORDER BY seq, limit + 1 rows).</summary>
    protected static DbCommand BuildQuery(DbConnection connection, ObjectQuery q, string columns)
    {
        var cmd = Command(connection, null, string.Empty);
        // date_added grows with seq (both assigned under the write lock), so added_after is also a seq
        // bound: one index seek finds where to start, and the scan is a single rowid range.
        long after = Cursor.Decode(q.Next);
        if (q.AddedAfter is { } addedAfter)
        {
            using var seek = Command(connection, null, "SELECT seq FROM objects WHERE date_added <= @a ORDER BY date_added DESC LIMIT 1");
            Param(seek, "a", addedAfter.Ticks);
            if (seek.ExecuteScalar() is { } bound and not DBNull)
            {
                after = Math.Max(after, Convert.ToInt64(bound, CultureInfo.InvariantCulture));
            }
        }

        var sql = new StringBuilder($"SELECT {columns} FROM objects o WHERE o.seq > @after");
        Param(cmd, "after", after);
        if (q.Ids is { Count: > 0 })
        {
            sql.Append(" AND o.id IN (").Append(InList(cmd, "id", q.Ids)).Append(')');
        }

        if (q.Types is { Count: > 0 })
        {
            sql.Append(" AND o.type IN (").Append(InList(cmd, "ty", q.Types)).Append(')');
        }

        if (q.SpecVersions is { Count: > 0 })
        {
            sql.Append(" AND o.spec_version IN (").Append(InList(cmd, "sv", q.SpecVersions)).Append(')');
        }

        if (q.AddedAfter is { } afterTime)
        {
            sql.Append(" AND +o.date_added > @added_after");
            Param(cmd, "added_after", afterTime.Ticks);
        }

        string known = string.Empty;
        if (q.AsOf is { } asOf)
        {
            sql.Append(" AND o.date_added <= @asof");
            Param(cmd, "asof", asOf.Ticks);
            known = " AND x.date_added <= @asof";
        }

        var v = q.Versions ?? VersionFilter.Latest;
        if (!v.All)
        {
            var parts = new List<string>();
            if (v.Last)
            {
                parts.Add(q.AsOf is null
                    ? "o.is_latest = 1"
                    : $"o.version_ticks = (SELECT MAX(x.version_ticks) FROM objects x WHERE x.id = o.id{known})");
            }

            if (v.First)
            {
                // The first version the caller may see: an earlier one above their level neither counts nor shows (its existence is hidden too).
                string visible = q.Access is null ? string.Empty : " AND " + AccessSql(q.Access, "x.tlp");
                parts.Add($"o.version_ticks = (SELECT MIN(x.version_ticks) FROM objects x WHERE x.id = o.id{known}{visible})");
            }

            if (v.At.Count > 0)
            {
                parts.Add("o.version_ticks IN (" + InList(cmd, "vt", v.At.Select(t => (object)t.Ticks).ToList()) + ")");
            }

            sql.Append(" AND (").Append(string.Join(" OR ", parts)).Append(')');
        }

        sql.Append(" AND ").Append(AccessSql(q.Access, "o.tlp"));
        if (q.Access is not null && (v.All || v.First || v.At.Count > 0 || q.AsOf is not null))
        {
            // An object is visible when its latest version (as of then) is: older versions of an object
            // that has since been marked above the caller's level are hidden with it.
            string latestTlp = q.AsOf is null
                ? "(SELECT l.tlp FROM objects l WHERE l.id = o.id AND l.is_latest = 1)"
                : "(SELECT l.tlp FROM objects l WHERE l.id = o.id AND l.date_added <= @asof ORDER BY l.version_ticks DESC LIMIT 1)";
            sql.Append(" AND ").Append(AccessSql(q.Access, latestTlp));
        }

        sql.Append(" ORDER BY o.seq LIMIT ").Append((Limit(q) + 1).ToString(CultureInfo.InvariantCulture));
        cmd.CommandText = sql.ToString();
        return cmd;
    }

    /// <summary>The SQL condition that keeps only what <paramref name="access"/> may see (constants only, no parameters).</summary>
    protected static string AccessSql(AccessFilter? access, string column)
    {
        if (access is null)
        {
            return "1 = 1";
        }

        string max = ((int)access.MaxTlp).ToString(CultureInfo.InvariantCulture);
        return access.UnmarkedVisible ? $"({column} IS NULL OR {column} <= {max})" : $"({column} IS NOT NULL AND {column} <= {max})";
    }

    /// <summary>
    /// The search ranking, the same on every backend: exact name 100, exact alias 50, name contains 20,
    /// an alias or a key contains 10, the text contains 1 (for the whole folded query @q; @qline is it
    /// between newlines). Ties go to the shorter name, then to the older object.
    /// </summary>
    /// <param name="position">The backend's substring position function (haystack, needle).</param>
    /// <param name="newline">The backend's expression for a newline character.</param>
    /// <param name="body">The column holding the text (or all of the search text).</param>
    protected static string ScoreSql(string position, string newline, string body) =>
        $"(CASE WHEN s.name = @q THEN 100 ELSE 0 END)"
        + $" + (CASE WHEN {position}({newline} || s.aliases || {newline}, @qline) > 0 THEN 50 ELSE 0 END)"
        + $" + (CASE WHEN {position}(s.name, @q) > 0 THEN 20 ELSE 0 END)"
        + $" + (CASE WHEN {position}(s.aliases, @q) > 0 THEN 10 ELSE 0 END)"
        + $" + (CASE WHEN {position}(s.keys, @q) > 0 THEN 10 ELSE 0 END)"
        + $" + (CASE WHEN {position}({body}, @q) > 0 THEN 1 ELSE 0 END)";

    /// <summary>All the folded search text of an object in one string (for single-column text indexes).</summary>
    protected static string SearchDocument(SearchFields f) => string.Join('\n', f.Name, f.Aliases, f.Keys, f.Body);

    /// <summary>The folded names, aliases and keys of an object in one string.</summary>
    protected static string NamesDocument(SearchFields f) => string.Join('\n', f.Name, f.Aliases, f.Keys);

    /// <summary>Whether a TLP level is visible under <paramref name="access"/>.</summary>
    protected static bool Visible(TlpLevel? tlp, AccessFilter? access) =>
        access is null || (tlp is { } t ? t <= access.MaxTlp : access.UnmarkedVisible);

    /// <inheritdoc />
    public Task<IReadOnlyList<Neighbor>> NeighborsAsync(string id, NeighborQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = Open();
        var result = new List<Neighbor>();
        if (!Visible(connection, [id], query.Access).Contains(id))
        {
            return Task.FromResult<IReadOnlyList<Neighbor>>(result);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        var frontier = new List<string> { id };
        // One query per node, so the fan-out limit counts the edges followed in both directions together.
        using var edges = EdgeCommand(connection, id, query.Direction, query.Kinds, query.Access, query.FanOut);
        var nodeParam = edges.Parameters["@n"];

        for (int depth = 1; depth <= Math.Max(1, query.Depth) && frontier.Count > 0 && result.Count < query.Limit; depth++)
        {
            var found = new List<Neighbor>();
            foreach (var node in frontier)
            {
                nodeParam.Value = node;
                found.AddRange(ReadEdges(edges, node, depth).Where(e => seen.Add(e.Id)));

                if (result.Count + found.Count >= query.Limit * 4)
                {
                    break;
                }
            }

            // Endpoints: drop what the caller may not see; mark references to objects the store lacks.
            var inStore = InStore(connection, found.Select(f => f.Id).ToList(), query.Access);
            var next = new List<string>();
            foreach (var f in found)
            {
                if (inStore.TryGetValue(f.Id, out bool visible))
                {
                    if (!visible)
                    {
                        continue;
                    }

                    next.Add(f.Id);
                }
                else if (query.Access is not null)
                {
                    // For a filtered caller a missing object and a hidden one must look the same: neither is listed.
                    continue;
                }

                var hit = inStore.ContainsKey(f.Id) ? f : f with { InStore = false };
                if (query.Types is not { Count: > 0 } || query.Types.Contains(hit.Type))
                {
                    if (result.Count >= query.Limit)
                    {
                        break;
                    }

                    result.Add(hit);
                }
            }

            frontier = next;
        }

        return Task.FromResult<IReadOnlyList<Neighbor>>(result);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<Neighbor>> EdgesAsync(string id, EdgeDirection direction, IReadOnlyList<string>? kinds = null, AccessFilter? access = null, int limit = 10_000, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        if (!Visible(connection, [id], access).Contains(id))
        {
            return Task.FromResult<IReadOnlyList<Neighbor>>([]);
        }

        using var cmd = EdgeCommand(connection, id, direction, kinds, access, Math.Clamp(limit, 1, 100_000));
        var found = ReadEdges(cmd, id, 1);

        var inStore = InStore(connection, found.Select(f => f.Id).Distinct(StringComparer.Ordinal).ToList(), access);
        var result = new List<Neighbor>(found.Count);
        foreach (var f in found)
        {
            if (inStore.TryGetValue(f.Id, out bool visible))
            {
                if (visible)
                {
                    result.Add(f);
                }
            }
            else if (access is null)
            {
                result.Add(f with { InStore = false });
            }
        }

        return Task.FromResult<IReadOnlyList<Neighbor>>(result);
    }

    /// <summary>The edges at node @n (a parameter of the command): other end, kind, via, direction (0 out, 1 in); at most <paramref name="limit"/>.</summary>
    private static DbCommand EdgeCommand(DbConnection connection, string node, EdgeDirection direction, IReadOnlyList<string>? kinds, AccessFilter? access, int limit)
    {
        var cmd = Command(connection, null, string.Empty);
        Param(cmd, "n", node);
        Param(cmd, "f", limit);
        string edgeAccess = AccessSql(access, "tlp");
        string kindSql = kinds is { Count: > 0 } ? " AND kind IN (" + InList(cmd, "k", kinds) + ")" : string.Empty;
        var branches = new List<string>();
        if (direction != EdgeDirection.Incoming)
        {
            branches.Add($"SELECT dst AS other, kind, via, 0 AS dir FROM edges WHERE src = @n AND {edgeAccess}{kindSql}");
        }

        if (direction != EdgeDirection.Outgoing)
        {
            branches.Add($"SELECT src AS other, kind, via, 1 AS dir FROM edges WHERE dst = @n AND {edgeAccess}{kindSql}");
        }

        cmd.CommandText = string.Join(" UNION ALL ", branches) + " LIMIT @f";
        return cmd;
    }

    /// <summary>Runs an <see cref="EdgeCommand"/> for <paramref name="node"/>.</summary>
    private static List<Neighbor> ReadEdges(DbCommand cmd, string node, int depth)
    {
        var found = new List<Neighbor>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            string other = r.GetString(0);
            var dir = Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture) == 0 ? EdgeDirection.Outgoing : EdgeDirection.Incoming;
            found.Add(new Neighbor(other, TypeOf(other), depth, node, dir, r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), true));
        }

        return found;
    }

    private static string TypeOf(string id)
    {
        int i = id.IndexOf("--", StringComparison.Ordinal);
        return i > 0 ? id[..i] : string.Empty;
    }

    private static HashSet<string> Visible(DbConnection connection, IReadOnlyList<string> ids, AccessFilter? access) =>
        InStore(connection, ids, access).Where(kv => kv.Value).Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>For the ids the store holds: whether each is visible.</summary>
    private static Dictionary<string, bool> InStore(DbConnection connection, IReadOnlyList<string> ids, AccessFilter? access)
    {
        var map = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(500))
        {
            using var cmd = Command(connection, null, string.Empty);
            cmd.CommandText = "SELECT id, tlp FROM objects WHERE is_latest = 1 AND id IN (" + InList(cmd, "i", chunk) + ")";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                TlpLevel? tlp = r.IsDBNull(1) ? null : (TlpLevel)Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture);
                map[r.GetString(0)] = Visible(tlp, access);
            }
        }

        return map;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = TextFolding.Words(query.Text);
        if (words.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<SearchHit>>([]);
        }

        // Two passes keep common words fast: first objects whose names, aliases or keys hold every word
        // (ranked), then, if the page is not full, text-only matches in store order.
        using var connection = Open();
        int limit = Math.Clamp(query.Limit, 1, 1000);
        var hits = new List<SearchHit>();
        foreach (bool names in new[] { true, false })
        {
            using var cmd = Command(connection, null, string.Empty);
            var pass = SearchSql(cmd, words, names);
            var where = pass.Conditions.ToList();
            if (query.Types is { Count: > 0 })
            {
                where.Add("o.type IN (" + InList(cmd, "t", query.Types) + ")");
            }

            where.Add(AccessSql(query.Access, "o.tlp"));
            string q = string.Join(' ', words);
            Param(cmd, "q", q);
            Param(cmd, "qline", "\n" + q + "\n");
            Param(cmd, "limit", limit - hits.Count);
            cmd.CommandText = $"SELECT o.id, o.type, s.display, {pass.Score} AS score FROM {pass.From} WHERE {string.Join(" AND ", where)} "
                + $"ORDER BY {(names ? "score DESC, length(s.name), o.seq" : pass.StoreOrder)} LIMIT @limit";
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    hits.Add(new SearchHit(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), Convert.ToDouble(r.GetValue(3), CultureInfo.InvariantCulture)));
                }
            }

            if (hits.Count >= limit)
            {
                break;
            }
        }

        return Task.FromResult<IReadOnlyList<SearchHit>>(hits);
    }

    /// <inheritdoc />
    public Task<string?> GetSettingAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        using var connection = Open();
        using var cmd = Command(connection, null, $"SELECT value FROM {SettingsTable} WHERE key = @key");
        Param(cmd, "key", "setting:" + key);
        return Task.FromResult(cmd.ExecuteScalar() as string);
    }

    /// <inheritdoc />
    public Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var connection = Open();
        using var cmd = Command(connection, null, "INSERT INTO audit(at, actor, action, detail) VALUES (@at, @actor, @action, @detail)");
        Param(cmd, "at", entry.At.ToUniversalTime().Ticks);
        Param(cmd, "actor", entry.Actor);
        Param(cmd, "action", entry.Action);
        Param(cmd, "detail", entry.Detail);
        cmd.ExecuteNonQuery();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> AuditLogAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var cmd = Command(connection, null, "SELECT at, actor, action, detail FROM audit ORDER BY seq DESC LIMIT @limit");
        Param(cmd, "limit", (long)Math.Clamp(limit, 1, 100_000));
        var list = new List<AuditEntry>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new AuditEntry(new DateTime(r.GetInt64(0), DateTimeKind.Utc), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3)));
        }

        return Task.FromResult<IReadOnlyList<AuditEntry>>(list);
    }

    /// <inheritdoc />
    public Task SetSettingAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        using var connection = OpenForWrite();
        using var tx = BeginWrite(connection);
        using var cmd = Command(connection, tx, $"INSERT INTO {SettingsTable}(key, value) VALUES (@key, @value) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        Param(cmd, "key", "setting:" + key);
        Param(cmd, "value", value);
        cmd.ExecuteNonQuery();
        tx.Commit();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StoreStats> StatsAsync(AccessFilter? access = null, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        long versions = Scalar<long?>(connection, null, access is null
            ? "SELECT COUNT(*) FROM objects"
            : $"SELECT COUNT(*) FROM objects o JOIN objects l ON l.id = o.id AND l.is_latest = 1 WHERE {AccessSql(access, "l.tlp")} AND {AccessSql(access, "o.tlp")}") ?? 0;
        long edges = Scalar<long?>(connection, null, $"SELECT COUNT(*) FROM edges WHERE {AccessSql(access, "tlp")}") ?? 0;
        var byType = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using (var cmd = Command(connection, null, $"SELECT type, COUNT(*) FROM objects WHERE is_latest = 1 AND {AccessSql(access, "tlp")} GROUP BY type"))
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                byType[r.GetString(0)] = r.GetInt64(1);
            }
        }

        return Task.FromResult(new StoreStats(byType.Values.Sum(), versions, edges, byType, SizeBytes(connection)));
    }

    /// <summary>Reads rows selected with the standard column list.</summary>
    protected static List<StoredObject> ReadObjects(DbCommand cmd)
    {
        var list = new List<StoredObject>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StoredObject(
                r.GetString(1),
                r.GetString(2),
                r.GetString(3),
                StixTimestamp.Parse(r.GetString(4)),
                PutPlanner.DateAdded(r.GetInt64(5)),
                r.GetInt64(0),
                Convert.ToInt32(r.GetValue(6), CultureInfo.InvariantCulture) == 1,
                r.IsDBNull(7) ? null : (TlpLevel)Convert.ToInt32(r.GetValue(7), CultureInfo.InvariantCulture),
                (byte[])r.GetValue(8)));
        }

        return list;
    }

    /// <summary>A command on <paramref name="connection"/>.</summary>
    protected static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>Adds a parameter.</summary>
    protected static DbParameter Param(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = "@" + name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
        return p;
    }

    /// <summary>Adds one parameter per value and returns the comma-separated placeholders.</summary>
    protected static string InList<T>(DbCommand cmd, string prefix, IReadOnlyList<T> values)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < values.Count; i++)
        {
            string name = prefix + i.ToString(CultureInfo.InvariantCulture);
            Param(cmd, name, values[i]);
            sb.Append(i == 0 ? "@" : ", @").Append(name);
        }

        return sb.ToString();
    }

    /// <summary>Runs a scalar query.</summary>
    protected static T? Scalar<T>(DbConnection connection, DbTransaction? tx, string sql)
    {
        using var cmd = Command(connection, tx, sql);
        var v = cmd.ExecuteScalar();
        return v is null or DBNull ? default : (T)Convert.ChangeType(v, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>Releases resources.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
